import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { InputError } from '../../models/inputError.js';
import { topologies } from '../../models/topologies/index.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import type { Topology } from '../../models/topologies/topology.js';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import { flowBoundOf, flowReport } from '../../properties/flowBound.js';
import type { Property, Verdict } from '../../properties/property.js';
import { counterexampleTrace } from '../api.js';
import { check, DEFAULT_CHECK_OPTIONS, type CheckResult, type Counterexample } from '../explore/check.js';
import { exhaustible, exhaustiveCheck } from '../explore/exhaustive/index.js';
import { traceDiagramTexts } from '../diagrams/traceDiagrams.js';
import { traceToJson, writeTextAtomic } from '../trace/file.js';
import { nameList, parseCommand, wholeNumber, outDirectory } from './options.js';

export const matrixUsage = `connmodel matrix [--topologies NAME[,NAME]] [--properties NAME[,NAME]] [--runs N] [--seed N]
                 [--exhaustive [--max-states N]] [--json] [--out DIR] [--doc FILE.md]`;
export const matrixAbout =
  'the verdict of every property on every shipped topology: a Markdown table (JSON with --json), each violated cell linked to its trace in --out (default out/matrix); --doc writes the Markdown to a file with links relative to it';

/** Fewer schedules than `check` by default: the matrix runs the whole catalogue on every topology. */
export const MATRIX_RUNS = 200;
/** States per cell under --exhaustive: the matrix runs many searches. */
export const MATRIX_MAX_STATES = 20_000;
/** Schedules behind the flow counts (on top of the deepest default run). */
const FLOW_RUNS = 50;

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

export interface MatrixCell {
  topology: string;
  property: string;
  verdict: Verdict;
  /** Whether this verdict is the one a healthy pipeline gets (health-blind-spot: violated, no witness). */
  healthy: boolean;
  result: CheckResult;
  /** The run behind the verdict: a counterexample, or for a `sometimes` property that holds, its witness. */
  run?: Counterexample;
  /** Where that run's trace was written, and its sequence diagram (Mermaid) beside it. */
  trace?: string;
  diagram?: string;
  ms: number;
}

export interface Matrix {
  exhaustive?: { maxStates: number } | null;
  runs: number;
  seed: number;
  command: string;
  topologies: Topology[];
  properties: Property[];
  cells: MatrixCell[];
  /** Per topology: the most connections one client connection held open, per boundary and instance ('*': shared tiers). */
  flows: Map<string, Record<string, Record<string, number>>>;
}

const healthyVerdict = (p: Property): Verdict => p.healthy ?? 'holds';

/** Runs the matrix; writes each cell's trace under `outDir/<topology>/`. Progress goes to `progress`. */
export function runMatrix(
  options: {
    topologies: Topology[];
    properties: Property[];
    runs: number;
    seed: number;
    outDir: string;
    command: string;
    /** Exhaustive search instead of random exploration, with this state budget per cell. */
    exhaustive?: { maxStates: number } | null;
  },
  progress: (line: string) => void = () => {},
): Matrix {
  const cells: MatrixCell[] = [];
  const flows = new Map<string, Record<string, Record<string, number>>>();
  for (const topology of options.topologies) {
    for (const property of options.properties) {
      const t0 = Date.now();
      const result: CheckResult = options.exhaustive
        ? exhaustiveCheck(topology, property, { maxStates: options.exhaustive.maxStates })
        : check(topology, property, { runs: options.runs, seed: options.seed });
      const run = result.counterexample ?? result.witness;
      const cell: MatrixCell = {
        topology: topology.name,
        property: property.name,
        verdict: result.verdict,
        healthy: result.verdict === healthyVerdict(property),
        result,
        ms: Date.now() - t0,
      };
      if (run) {
        cell.run = run;
        const base = join(options.outDir, topology.name, property.name);
        // An exhaustive result's bounds say how deep the search went, not how long its run may go on.
        const maxSteps = options.exhaustive ? Math.max(DEFAULT_CHECK_OPTIONS.maxSteps, run.steps + 1) : result.bounds.maxSteps;
        const trace = counterexampleTrace(topology, property, run, { maxSteps, seed: result.seed });
        cell.trace = `${base}.trace.json`;
        cell.diagram = `${base}.mmd`;
        writeTextAtomic(cell.trace, traceToJson(trace));
        writeTextAtomic(cell.diagram, traceDiagramTexts(trace).mmd);
      }
      cells.push(cell);
      progress(`${topology.name.padEnd(26)} ${property.name.padEnd(18)} ${result.verdict.padEnd(9)} ${(cell.ms / 1000).toFixed(1)} s`);
    }
    if (!options.exhaustive && options.properties.some((p) => p.name === 'flow-bound'))
      flows.set(topology.name, flowReport(topology, { runs: Math.min(FLOW_RUNS, options.runs), seed: options.seed }));
  }
  return { ...options, cells, flows };
}

/** Parses and validates every option before any work is done or any file written. */
export function prepareMatrix(argv: string[]) {
  const { values } = parseCommand('matrix', matrixOptions, () => parseArgs({ args: argv, options: matrixOptions, strict: true }));
  const topologyNames = nameList(values.topologies);
  const propertyNames = nameList(values.properties);
  const chosenTopologies = topologyNames.length > 0 ? topologyNames.map(resolveTopology) : Object.values(topologies);
  const exhaustive = values.exhaustive === true;
  if (!exhaustive && values['max-states'] !== undefined) throw new InputError('--max-states applies to --exhaustive only; add --exhaustive');
  const asked = propertyNames.length > 0 ? propertyNames.map(propertyNamed) : [...catalogue];
  const searchable = (p: Property) => chosenTopologies.every((t) => exhaustible(p, t));
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

const link = (path: string, from: string | null) => {
  const rel = from === null ? path : relative(dirname(from), path);
  return rel.split(sep).join('/');
};

function cellText(m: Matrix, c: MatrixCell, doc: string | null): string {
  const mark = c.verdict === 'undecided' ? '?' : c.healthy ? '✓' : '✗';
  const word = c.trace ? `[${c.verdict}](${link(c.trace, doc)})` : c.verdict;
  const violatedFacets = c.result.facets.filter((f) => f.verdict === 'violated').map((f) => f.facet);
  const where = violatedFacets.length > 0 && violatedFacets.length < c.result.facets.length ? ` at ${violatedFacets.join(', ')}` : '';
  const property = m.properties.find((p) => p.name === c.property)!;
  const reach = property.kind === 'sometimes' ? (c.verdict === 'holds' ? ' (reachable)' : ' (unreachable)') : '';
  return `${mark} ${word}${reach}${where}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The verdicts as a Markdown document; trace links are relative to `doc` when given. */
export function matrixMarkdown(m: Matrix, doc: string | null): string {
  const cell = (t: string, p: string) => m.cells.find((c) => c.topology === t && c.property === p)!;
  const lines: string[] = [
    '# Verdict matrix',
    '',
    `Generated by \`${m.command}\`${doc ? ' (`npm run matrix`)' : ''}: every property of the catalogue on every topology, ${
      m.exhaustive
        ? `by exhaustive breadth-first search (smallest bounds first, at most ${m.exhaustive.maxStates.toLocaleString('en-US')} states per cell; ? marks a search that stopped before deciding: not a proof either way)`
        : `by random exploration with fast-check (${m.runs} schedules per property and facet, seed ${m.seed}, plus directed race schedules for no-reset)`
    }, within each property's bounds. Do not edit by hand: regenerate it.`,
    '',
    '✓: the verdict of a healthy pipeline; ✗: the opposite. Every ✗ links to the trace of its counterexample (replay it with `connmodel replay`); the list below also links each one’s sequence diagram (Mermaid; `connmodel diagrams --trace` renders it). `health-blind-spot` is a reachability (`sometimes`) property: it *holds* when a witness is found, i.e. the blind spot is reachable, which is ✗; its witness is linked instead. "at …" names the tier boundaries where a property split by boundary broke. The properties and every mitigation are explained in [properties.md](properties.md).',
    '',
    `| topology | ${m.properties.map((p) => p.name).join(' | ')} |`,
    `|---|${m.properties.map(() => '---').join('|')}|`,
  ];
  for (const t of m.topologies) lines.push(`| \`${t.name}\` | ${m.properties.map((p) => cellText(m, cell(t.name, p.name), doc)).join(' | ')} |`);
  lines.push('');

  const mitigations = m.topologies.filter((t) => t.mitigation);
  if (mitigations.length > 0) {
    lines.push('## Mitigations against their base', '', '| mitigation | change | repairs | does not repair | breaks |', '|---|---|---|---|---|');
    for (const t of mitigations) {
      const base = m.topologies.find((b) => b.name === t.mitigation!.base);
      // Compared property by property and, for properties split by boundary, boundary by boundary.
      const broken = (c: MatrixCell) => new Set(c.result.facets.filter((f) => f.verdict === 'violated').map((f) => f.facet));
      const diff = (from: MatrixCell, to: MatrixCell): string[] => {
        if (from.healthy && to.healthy) return [];
        if (from.healthy !== to.healthy) return [from.property];
        const was = broken(from);
        const now = broken(to);
        // Only boundaries both topologies have (removing a tier removes its boundaries, it repairs nothing there).
        const shared = new Set(to.result.facets.map((f) => f.facet));
        const gone = [...was].filter((f) => shared.has(f) && !now.has(f));
        return gone.length > 0 && now.size > 0 ? [`${from.property} at ${gone.join(', ')}`] : [];
      };
      const join = (xs: string[]) => xs.join('; ') || '—';
      // An undecided cell (exhaustive search cut short) says nothing either way: left out of the comparison.
      const pairs = m.properties
        .map((p) => [cell(t.name, p.name), base && cell(base.name, p.name)] as const)
        .filter(([h, b]) => h.verdict !== 'undecided' && b?.verdict !== 'undecided');
      const repairs = base ? join(pairs.flatMap(([h, b]) => (b ? diff(b, h).filter(() => !b.healthy) : []))) : '(base not in this matrix)';
      const leaves = join(pairs.filter(([h]) => !h.healthy).map(([h]) => h.property));
      const breaks = base ? join(pairs.flatMap(([h, b]) => (b ? diff(h, b).filter(() => !h.healthy) : []))) : '—';
      lines.push(`| \`${t.name}\` (from \`${t.mitigation!.base}\`) | ${t.mitigation!.change} | ${repairs} | ${leaves} | ${breaks} |`);
    }
    lines.push('');
  }

  lines.push('## What each ✗ found', '');
  for (const t of m.topologies) {
    const bad = m.properties.map((p) => cell(t.name, p.name)).filter((c) => !c.healthy && c.run);
    if (bad.length === 0) continue;
    lines.push(`### \`${t.name}\``, '', t.description, '');
    for (const c of bad) {
      const r = c.run!;
      const label = c.verdict === 'violated' ? 'counterexample' : 'witness';
      lines.push(
        `- **${c.property}** (${label}: ${plural(r.clientConnections, 'client connection')}, ${plural(r.requests, 'request')}, ${plural(r.steps, 'step')}${r.facet ? `, at ${r.facet}` : ''}; [trace](${link(c.trace!, doc)}), [sequence diagram](${link(c.diagram!, doc)})): ${r.message}`,
      );
    }
    lines.push('');
  }

  if (m.flows.size > 0) {
    lines.push(
      '## Connections per client connection (flow-bound)',
      '',
      `The most connections one client connection held open at once, per boundary and instance (\`*\`: between shared tiers), over the deepest default run and ${Math.min(FLOW_RUNS, m.runs)} random schedules within flow-bound's bounds. flow-bound bounds the per-instance counts by the connection queue's limit.`,
      '',
    );
    for (const t of m.topologies) {
      const f = m.flows.get(t.name);
      if (!f) continue;
      const b = flowBoundOf(t);
      const rows = Object.entries(f).map(([boundary, row]) => `${boundary} ${Object.entries(row).map(([k, n]) => (k === '*' ? `${n}` : `#${k}: ${n}`)).join(', ')}`);
      lines.push(`- \`${t.name}\` (bound: ${b ? `${b.bound}, ${b.why}` : 'none'}): ${rows.join('; ')}`);
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** The `--json` document. */
export function matrixJson(m: Matrix, doc: string | null): unknown {
  return {
    runs: m.runs,
    seed: m.seed,
    command: m.command,
    topologies: m.topologies.map((t) => ({
      name: t.name,
      description: t.description,
      ...(t.mitigation ? { mitigation: t.mitigation } : {}),
      results: Object.fromEntries(
        m.cells
          .filter((c) => c.topology === t.name)
          .map((c) => {
            const r = c.run;
            const label = c.result.counterexample ? 'counterexample' : 'witness';
            return [
              c.property,
              {
                verdict: c.verdict,
                healthy: c.healthy,
                ...(c.result.facets.length > 0 ? { facets: Object.fromEntries(c.result.facets.map((f) => [f.facet, f.verdict])) } : {}),
                ...(r
                  ? {
                      [label]: {
                        clientConnections: r.clientConnections,
                        requests: r.requests,
                        steps: r.steps,
                        ...(r.facet !== null ? { facet: r.facet } : {}),
                        message: r.message,
                        trace: link(c.trace!, doc),
                        diagram: link(c.diagram!, doc),
                      },
                    }
                  : {}),
              },
            ];
          }),
      ),
      ...(m.flows.has(t.name) ? { flows: m.flows.get(t.name) } : {}),
    })),
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
