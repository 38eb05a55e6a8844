import { basename, dirname } from 'node:path';
import { InputError } from '../../models/inputError.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import { imageFormats, type ImageFormat } from '../diagrams/imageFormats.js';
import { lanesOf } from '../diagrams/lanes.js';
import { writeDiagrams, writeTraceDiagram, type DiagramsReport } from '../diagrams/writeDiagrams.js';
import { OutputError } from '../io/errors.js';
import { preflightDirectory } from '../io/preflight.js';
import { readTrace, TRACE_LIMITS } from '../trace/file.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { EXIT } from './exitCodes.js';
import { exclusive, nameList, parseCommand, wholeNumber } from './options.js';
import { Printer } from './output.js';

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

/** Parses and checks every option, reads the trace, and checks the output directory, before anything is drawn or written. */
export function prepareDiagrams(argv: string[]) {
  const { values } = parseCommand(diagramsOptions, argv);
  const formatNames = nameList('format', values.format);
  exclusive(values, 'format', 'no-render');
  const formats: ImageFormat[] = values['no-render'] ? [] : formatNames.length > 0 ? imageFormats(formatNames) : ['svg'];
  const outDir = (dir: string) => {
    preflightDirectory(dir, `--out '${dir}'`);
    return dir;
  };
  if (values.trace === undefined) {
    for (const o of TRACE_ONLY) if (values[o] !== undefined) throw new InputError(`--${o} needs --trace FILE`);
    const names = nameList('property', values.property);
    const topology = resolveTopology(values.topology ?? defaultTopology);
    // `NAME@TOPOLOGY` draws that property's counterexample on another topology (e.g. no-starvation@seed-small).
    const properties = (names.length > 0 ? names : ['one-to-one']).map((n) => {
      const parts = n.split('@');
      if (parts.length > 2 || parts.some((x) => x === '')) throw new InputError(`--property takes NAME or NAME@TOPOLOGY, found '${n}'`);
      const [property, on] = parts as [string, string | undefined];
      return on === undefined ? propertyNamed(property) : { property: propertyNamed(property), topology: resolveTopology(on) };
    });
    return { mode: 'set' as const, formats, topology, properties, outDir: outDir(values.out ?? 'diagrams') };
  }
  for (const o of SET_ONLY) if (values[o] !== undefined) throw new InputError(`--${o} does not apply to --trace (the trace names its topology)`);
  const participants = nameList('participants', values.participants);
  const names = values.names ?? 'seed';
  if (!(NAMES as readonly string[]).includes(names)) throw new InputError(`--names must be one of ${NAMES.join(', ')}, found '${names}'`);
  const maxRequests = values.requests === undefined ? undefined : wholeNumber('requests', values.requests, 0, 1, TRACE_LIMITS.requests);
  const trace = readTrace(values.trace);
  // A reachability property's trace is a witness: drawn as "reached", not "violated".
  const named = trace.property ?? trace.violation?.property;
  const options = {
    ids: !values['no-ids'],
    // Requests that repeat the one before are left out unless asked for every one.
    collapse: values['no-collapse'] !== true,
    witness: catalogue.some((p) => p.name === named && p.kind === 'sometimes'),
    names: names as (typeof NAMES)[number],
    ...(participants.length > 0 ? { participants } : {}),
    ...(maxRequests !== undefined ? { maxRequests } : {}),
  };
  // Unknown participants are an input error: find out now, before writing.
  lanesOf(trace.topology, trace.events, options.participants, options.names);
  return {
    mode: 'trace' as const,
    outDir: outDir(values.out ?? dirname(values.trace)),
    formats,
    trace,
    name: basename(values.trace).replace(/(\.trace)?\.json$/, '') || 'trace',
    options,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

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
    `connmodel diagrams: ${plural(r.files.length, 'text file')} and ${plural(r.images.length, 'image')} in ${outDir}/ (model ${seconds(r.timings.model)}, render ${seconds(r.timings.render)})`,
    ...[...byName].map(([name, exts]) => `  ${name.padEnd(width)}  ${exts.join(' ')}`),
    ...r.notes.map((n) => `note: ${n}`),
  ];
  const err = [...(r.missing ? [r.missing] : []), ...r.errors.map((e) => `render failed: ${e}`)];
  return { out: `${lines.join('\n')}\n`, err: err.length > 0 ? `${err.join('\n')}\n` : '' };
}

/**
 * Draws and renders what `prepareDiagrams` checked: exit 0 when written (a
 * missing renderer is one line on stderr, not a failure), 4 when a renderer
 * that is there failed, 2 when a file could not be written.
 */
export async function runDiagrams(p: ReturnType<typeof prepareDiagrams>, out = new Printer()): Promise<number> {
  let report: DiagramsReport;
  try {
    report =
      p.mode === 'set'
        ? await writeDiagrams({ outDir: p.outDir, topology: p.topology, properties: p.properties, formats: p.formats })
        : await writeTraceDiagram(p.trace, p.name, p.outDir, p.formats, p.options);
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    out.error(`connmodel diagrams: ${e.message} (the files written before it are whole)\n`);
    return EXIT.badInput;
  }
  const { out: text, err } = reportText(report, p.outDir);
  out.text(text);
  if (err) out.error(err);
  return report.errors.length > 0 ? EXIT.renderFailed : EXIT.ok;
}

/** `connmodel diagrams`: input checked first (bad input: exit 2, nothing written), then drawn and rendered. */
export function diagramsCommand(argv: string[], out = new Printer()): Promise<number> {
  return runDiagrams(prepareDiagrams(argv), out);
}
