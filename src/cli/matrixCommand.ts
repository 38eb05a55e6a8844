import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import { DEFAULT_CHECK_OPTIONS } from '../explore/check.js';
import type { Property } from '../explore/property.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { matrixJson } from '../matrix/json.js';
import { matrixMarkdown } from '../matrix/markdown.js';
import { MATRIX_MAX_STATES, MATRIX_RUNS, runMatrix } from '../matrix/run.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { nameList, outDirectory, parseCommand, wholeNumber } from './options.js';

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

/** Parses and validates every option before any work is done or any file written. */
export function prepareMatrix(argv: string[]) {
  const { values } = parseCommand('matrix', matrixOptions, () => parseArgs({ args: argv, options: matrixOptions, strict: true }));
  const topologyNames = nameList(values.topologies);
  const propertyNames = nameList(values.properties);
  const chosenTopologies = topologyNames.length > 0 ? topologyNames.map(resolveTopology) : Object.values(topologies);
  const exhaustive = values.exhaustive === true;
  if (!exhaustive && values['max-states'] !== undefined) throw new InputError('--max-states applies to --exhaustive only; add --exhaustive');
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
  const outDir = outDirectory(values.out ?? join('out', 'matrix'));
  const command = [
    'connmodel matrix',
    ...(topologyNames.length > 0 ? [`--topologies ${topologyNames.join(',')}`] : []),
    ...(propertyNames.length > 0 ? [`--properties ${propertyNames.join(',')}`] : []),
    ...(exhaustive ? ['--exhaustive', `--max-states ${maxStates}`] : [`--runs ${runs}`, `--seed ${seed}`]),
  ].join(' ');
  return {
    topologies: chosenTopologies,
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

/** `connmodel matrix`: exit 0 when it ran (violations are the point of the table). */
export function matrixCommand(argv: string[]): number {
  const prepared = prepareMatrix(argv);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const m = runMatrix(prepared, progress);
  const text = prepared.json ? `${JSON.stringify(matrixJson(m, prepared.doc), null, 1)}\n` : matrixMarkdown(m, prepared.doc);
  if (prepared.doc !== null) {
    writeTextAtomic(prepared.doc, text);
    process.stderr.write(`wrote ${prepared.doc} and ${m.cells.filter((c) => c.trace).length} traces under ${prepared.outDir}\n`);
  } else process.stdout.write(text);
  return 0;
}
