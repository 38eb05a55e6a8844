import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../models/inputError.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import { imageFormats, type ImageFormat } from '../diagrams/imageFormats.js';
import { lanesOf } from '../diagrams/lanes.js';
import { writeDiagrams, writeTraceDiagram, type DiagramsReport } from '../diagrams/writeDiagrams.js';
import { readTrace } from '../trace/file.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { nameList, outDirectory, parseCommand, wholeNumber } from './options.js';

export const diagramsUsage = `connmodel diagrams [--topology NAME|FILE] [--property NAME[@TOPOLOGY][,...]] [--out DIR] [--format svg,png | --no-render]
  connmodel diagrams --trace FILE [--participants NAME[,NAME]] [--names seed|tiers] [--requests N] [--no-ids] [--no-collapse]
                     [--out DIR] [--format svg,png | --no-render]`;

export const diagramsAbout =
  "draw the seed's diagrams, counterexamples (default: one-to-one) and tier state machines as PlantUML and Mermaid, rendered to SVG/PNG; or draw one trace";

const diagramsOptions = {
  topology: { type: 'string' },
  property: { type: 'string', multiple: true },
  out: { type: 'string' },
  format: { type: 'string', multiple: true },
  'no-render': { type: 'boolean' },
  trace: { type: 'string' },
  participants: { type: 'string', multiple: true },
  names: { type: 'string' },
  requests: { type: 'string' },
  'no-ids': { type: 'boolean' },
  'no-collapse': { type: 'boolean' },
} as const;

const SET_ONLY = ['topology', 'property'] as const;
const TRACE_ONLY = ['participants', 'names', 'requests', 'no-ids', 'no-collapse'] as const;
const NAMES = ['seed', 'tiers'] as const;

/** Parses and checks every option, and reads the trace, before anything is drawn or written. */
export function prepareDiagrams(argv: string[]) {
  const { values } = parseCommand('diagrams', diagramsOptions, () => parseArgs({ args: argv, options: diagramsOptions, strict: true }));
  const formatNames = nameList(values.format);
  if (values['no-render'] && formatNames.length > 0) throw new InputError('connmodel diagrams: --format and --no-render exclude each other');
  const formats: ImageFormat[] = values['no-render'] ? [] : formatNames.length > 0 ? imageFormats(formatNames) : ['svg'];
  if (values.trace === undefined) {
    for (const o of TRACE_ONLY) if (values[o] !== undefined) throw new InputError(`connmodel diagrams: --${o} needs --trace FILE`);
    const names = nameList(values.property);
    return {
      mode: 'set' as const,
      outDir: outDirectory(values.out ?? 'diagrams'),
      formats,
      topology: resolveTopology(values.topology ?? defaultTopology),
      // `NAME@TOPOLOGY` draws that property's counterexample on another topology (e.g. no-starvation@seed-small).
      properties: (names.length > 0 ? names : ['one-to-one']).map((n) => {
        const [property, on] = n.split('@');
        return on === undefined ? propertyNamed(property!) : { property: propertyNamed(property!), topology: resolveTopology(on) };
      }),
    };
  }
  for (const o of SET_ONLY) if (values[o] !== undefined) throw new InputError(`connmodel diagrams: --${o} does not apply to --trace (the trace names its topology)`);
  const trace = readTrace(values.trace);
  const participants = nameList(values.participants);
  const names = values.names ?? 'seed';
  if (!(NAMES as readonly string[]).includes(names)) throw new InputError(`--names must be one of ${NAMES.join(', ')}, found '${names}'`);
  // A reachability property's trace is a witness: drawn as "reached", not "violated".
  const named = trace.property ?? trace.violation?.property;
  const options = {
    ids: !values['no-ids'],
    // Requests that repeat the one before are left out unless asked for every one.
    collapse: values['no-collapse'] !== true,
    witness: catalogue.some((p) => p.name === named && p.kind === 'sometimes'),
    names: names as (typeof NAMES)[number],
    ...(participants.length > 0 ? { participants } : {}),
    ...(values.requests !== undefined ? { maxRequests: wholeNumber('requests', values.requests, 0, 1) } : {}),
  };
  // Unknown participants are an input error: find out now, before writing.
  lanesOf(trace.topology, trace.events, options.participants, options.names);
  return {
    mode: 'trace' as const,
    outDir: outDirectory(values.out ?? dirname(values.trace)),
    formats,
    trace,
    name: basename(values.trace).replace(/(\.trace)?\.json$/, ''),
    options,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** What was written, one line per diagram, then anything not drawn and what to install. */
function reportText(r: DiagramsReport, outDir: string): { out: string; err: string } {
  const byName = new Map<string, string[]>();
  for (const f of [...r.files, ...r.images]) {
    const file = basename(f);
    const name = file.split('.')[0]!;
    if (!byName.has(name)) byName.set(name, []);
    byName.get(name)!.push(file.slice(name.length));
  }
  const width = Math.max(...[...byName.keys()].map((k) => k.length));
  const lines = [
    `connmodel diagrams: ${r.files.length} text files and ${r.images.length} images in ${outDir}/ (model ${seconds(r.timings.model)}, render ${seconds(r.timings.render)})`,
    ...[...byName].map(([name, exts]) => `  ${name.padEnd(width)}  ${exts.join(' ')}`),
    ...r.notes.map((n) => `note: ${n}`),
  ];
  const err = [...(r.missing ? [r.missing] : []), ...r.errors.map((e) => `render failed: ${e}`)];
  return { out: `${lines.join('\n')}\n`, err: err.length > 0 ? `${err.join('\n')}\n` : '' };
}

export async function runDiagrams(p: ReturnType<typeof prepareDiagrams>): Promise<number> {
  const report =
    p.mode === 'set'
      ? await writeDiagrams({ outDir: p.outDir, topology: p.topology, properties: p.properties, formats: p.formats })
      : await writeTraceDiagram(p.trace, p.name, p.outDir, p.formats, p.options);
  const { out, err } = reportText(report, p.outDir);
  process.stdout.write(out);
  process.stderr.write(err);
  return report.errors.length > 0 ? 1 : 0;
}

/**
 * `connmodel diagrams`. Input is checked synchronously (bad input: exit 2,
 * nothing written); drawing and rendering then finish asynchronously and set
 * the exit code: 0 when written (a missing renderer is one line on stderr,
 * not a failure), 1 when a renderer that is there failed.
 */
export function diagramsCommand(argv: string[]): number {
  const prepared = prepareDiagrams(argv);
  runDiagrams(prepared).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`connmodel: ${e instanceof Error ? (e instanceof InputError ? e.message : e.stack) : String(e)}\n`);
      process.exitCode = e instanceof InputError ? 2 : 1;
    },
  );
  return 0;
}
