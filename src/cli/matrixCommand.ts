import { join } from 'node:path';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import { DEFAULT_CHECK_OPTIONS } from '../explore/check.js';
import type { Property } from '../explore/property.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { OutputError } from '../io/errors.js';
import { preflightDirectory, preflightFile } from '../io/preflight.js';
import { matrixJson } from '../matrix/json.js';
import { matrixMarkdown } from '../matrix/markdown.js';
import { MATRIX_MAX_STATES, MATRIX_RUNS, runMatrix } from '../matrix/run.js';
import { resolveTopologySource, type TopologyFileRef } from '../topologyFile/resolve.js';
import { EXIT } from './exitCodes.js';
import { nameList, parseCommand, wholeNumber } from './options.js';
import { Printer } from './output.js';

export const matrixUsage = `connmodel matrix [--topologies NAME[,NAME]] [--properties NAME[,NAME]] [--runs N] [--seed N]
                 [--exhaustive [--max-states N]] [--json] [--out DIR] [--doc FILE.md]`;
export const matrixAbout =
  'the verdict of every property on every shipped topology: a Markdown table (JSON with --json), each violated cell linked to its trace in --out (default out/matrix); --doc writes the Markdown to a file with links relative to it';

const matrixOptions = {
  topologies: { type: 'string', multiple: true },
  properties: { type: 'string', multiple: true },
  runs: { type: 'string' },
  seed: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  doc: { type: 'string' },
  exhaustive: { type: 'boolean' },
  'max-states': { type: 'string' },
} as const;

/** Parses and validates every option, and checks the outputs can be written, before any work is done. */
export function prepareMatrix(argv: string[]) {
  const { values } = parseCommand(matrixOptions, argv);
  const topologyNames = nameList('topologies', values.topologies);
  const propertyNames = nameList('properties', values.properties);
  const topologyFiles = new Map<string, TopologyFileRef>();
  const chosenTopologies =
    topologyNames.length > 0
      ? topologyNames.map((n) => {
          const { topology, file } = resolveTopologySource(n);
          if (file) topologyFiles.set(topology.name, file);
          return topology;
        })
      : Object.values(topologies);
  const names = chosenTopologies.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new InputError(`--topologies names topology '${twice}' twice (its cells would overwrite each other)`);
  const exhaustive = values.exhaustive === true;
  if (!exhaustive && values['max-states'] !== undefined) throw new InputError('--max-states applies to --exhaustive only; add --exhaustive');
  if (exhaustive && (values.runs !== undefined || values.seed !== undefined))
    throw new InputError('--runs and --seed choose random schedules; --exhaustive searches every schedule instead: drop one or the other');
  const asked = propertyNames.length > 0 ? propertyNames.map(propertyNamed) : [...catalogue];
  const searchable = (p: Property) => p.capabilities.exhaustive;
  if (exhaustive && propertyNames.length > 0 && !asked.every(searchable))
    throw new InputError(
      `--exhaustive cannot check ${asked.filter((p) => !searchable(p)).map((p) => p.name).join(', ')} (see docs/exhaustive.md); it can check: ${catalogue.filter(searchable).map((p) => p.name).join(', ')}`,
    );
  const chosenProperties = exhaustive ? asked.filter(searchable) : asked;
  const maxStates = wholeNumber('max-states', values['max-states'], MATRIX_MAX_STATES, 1, 2 ** 31 - 1);
  const runs = wholeNumber('runs', values.runs, MATRIX_RUNS, 1, 10_000_000);
  const seed = wholeNumber('seed', values.seed, DEFAULT_CHECK_OPTIONS.seed, -(2 ** 31), 2 ** 31 - 1);
  if (values.doc !== undefined && !values.doc.endsWith('.md')) throw new InputError(`--doc must name a Markdown file ending in .md, found '${values.doc}'`);
  const outDir = values.out ?? join('out', 'matrix');
  preflightDirectory(outDir, `--out '${outDir}'`);
  if (values.doc !== undefined) preflightFile(values.doc, `--doc '${values.doc}'`);
  const command = [
    'connmodel matrix',
    ...(topologyNames.length > 0 ? [`--topologies ${topologyNames.join(',')}`] : []),
    ...(propertyNames.length > 0 ? [`--properties ${propertyNames.join(',')}`] : []),
    ...(exhaustive ? ['--exhaustive', `--max-states ${maxStates}`] : [`--runs ${runs}`, `--seed ${seed}`]),
  ].join(' ');
  return {
    topologies: chosenTopologies,
    topologyFiles,
    properties: chosenProperties,
    runs,
    seed,
    outDir,
    command,
    json: values.json === true,
    doc: values.doc ?? null,
    exhaustive: exhaustive ? { maxStates } : null,
  };
}

/**
 * `connmodel matrix`: exit 0 when it ran (violations are the point of the
 * table). A file that cannot be written is reported after the table, which
 * goes to stdout when --doc could not be written: exit 2.
 */
export function matrixCommand(argv: string[], out = new Printer()): number {
  const prepared = prepareMatrix(argv);
  const m = runMatrix(prepared, (line) => out.error(`${line}\n`));
  const emit = () => (prepared.json ? out.json(matrixJson(m, prepared.doc), 1) : out.text(matrixMarkdown(m, prepared.doc)));
  let failure = m.failure;
  if (prepared.doc !== null && failure === null) {
    try {
      writeTextAtomic(prepared.doc, prepared.json ? `${JSON.stringify(matrixJson(m, prepared.doc), null, 1)}\n` : matrixMarkdown(m, prepared.doc));
      out.error(`wrote ${prepared.doc} and ${m.cells.filter((c) => c.trace).length} traces under ${prepared.outDir}\n`);
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      failure = e;
    }
  }
  if (prepared.doc === null || failure !== null) emit();
  if (failure === null) return EXIT.ok;
  out.error(`connmodel matrix: ${failure.message} (the table above is complete; files from that one on were not written)\n`);
  return EXIT.badInput;
}
