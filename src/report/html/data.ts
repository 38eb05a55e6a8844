import { dirname, relative, resolve, sep } from 'node:path';
import { machineDiagrams } from '../../diagrams/machineDiagrams.js';
import { sequenceDiagram } from '../../diagrams/sequence.js';
import { sequenceToMermaid } from '../../diagrams/sequenceMermaid.js';
import { traceDiagramOptions } from '../../diagrams/traceDiagrams.js';
import type { CheckResult } from '../../explore/check.js';
import type { ExhaustiveCheckResult } from '../../explore/exhaustive/index.js';
import { reachLine } from '../../explore/exhaustive/runner.js';
import { isHealthy, verdictText } from '../../explore/verdict.js';
import { counterexampleTrace } from '../../trace/counterexample.js';
import { plural, propertyOf, replayOf, type CheckReport } from '../checkReport.js';
import { stepThrough, type SteppedTrace } from '../stepThrough.js';
import { matrixView, type MatrixDocument, type MatrixView } from './matrix.js';
import { chartToMermaid, type SimulationSection } from './simulation.js';

/** What `connmodel report` (and `check --report`) puts in the page. */
export interface HtmlReportInput {
  check: CheckReport;
  /** Where the page is written: every link (traces, matrix cells) is relative to it. */
  file: string;
  /** A `connmodel matrix --json` document to show, with links. */
  matrix?: MatrixDocument | null;
  /** Charts of a simulation run (the hook for src/simulate; see simulation.ts). */
  simulation?: SimulationSection | null;
}

/** A counterexample (or witness) as the page shows it: its sentence, files, diagram, and every step. */
export interface RunView {
  label: 'counterexample' | 'witness';
  facet: string | null;
  sentence: string;
  message: string;
  trace: string | null;
  others: { facet: string | null; trace: string }[];
  replay: string;
  violationStep: number;
  /** The sequence diagram (Mermaid), and for each of its arrows and notes, in order, the steps it draws. */
  sequence: { mmd: string; messages: number[][]; notes: number[][] };
  stepped: SteppedTrace;
}

export interface PropertyView {
  name: string;
  anchor: string;
  statement: string;
  kind: string;
  verdict: string;
  /** The verdict as words (`not found in 1,000 runs`; a finding in capitals). */
  label: string;
  /** Whether the verdict is a healthy pipeline's; null when nothing was decided. */
  health: boolean | null;
  partial: boolean;
  bounds: string;
  coverage: string[];
  run: RunView | null;
}

export interface ReportData {
  title: string;
  topology: { name: string; description: string };
  how: string;
  rerun: string;
  partial: boolean;
  summary: { property: string; anchor: string; verdict: string; label: string; health: boolean | null; partial: boolean; runs: string; bounds: string; found: string }[];
  properties: PropertyView[];
  machines: { kind: string; caption: string; mmd: string }[];
  matrix: MatrixView | null;
  simulation: { about: string; charts: { title: string; mmd: string; series: string[] }[] } | null;
}

const anchorOf = (property: string) => `p-${property.replace(/[^A-Za-z0-9-]/g, '-')}`;
const linkFrom = (file: string) => (path: string) => relative(dirname(resolve(file)), resolve(path)).split(sep).join('/');

function bounds(r: CheckResult, facetKind: string | undefined): string {
  if (r.verdict === 'not applicable') return `not explored: ${r.reason ?? ''}`;
  if ('exhaustive' in r) return reachLine(r as ExhaustiveCheckResult);
  const b = r.bounds;
  const each = r.facets.length > 0 ? ` at each of ${r.facets.length} ${facetKind === 'boundary' ? 'boundaries' : 'facets'}` : '';
  const done = r.interrupted ? `${r.interrupted.runs ?? 0} schedules before Ctrl-C (partial)` : `${r.runs} random schedules${each} (seed ${r.seed})`;
  const then = b.tail ? 'then seeded random choices' : 'then default choices';
  return `${done}; up to ${plural(b.clients, 'client connection')} × ${plural(b.requests, 'request')}, schedules of up to ${plural(b.scheduleLength, 'choice')} ${then}, ${b.maxSteps} steps a run${r.boundsNote ? `; note: ${r.boundsNote}` : ''}`;
}

/** The verdict as words and whether it is a healthy pipeline's. */
function verdictOf(report: CheckReport, r: CheckResult): { label: string; health: boolean | null } {
  const p = propertyOf(report, r.property);
  const health = p ? isHealthy(p, r.verdict) : null;
  const text = verdictText(r.verdict, r.runs);
  return { label: health === false ? text.toUpperCase() : text, health };
}

function coverage(r: CheckResult): string[] {
  return r.facets.map((f) => `${f.facet}: ${f.verdict}`);
}

function runView(input: HtmlReportInput, r: CheckResult): RunView | null {
  const report = input.check;
  const cx = r.counterexample ?? r.witness;
  const property = propertyOf(report, r.property);
  if (!cx || !property) return null;
  const maxSteps = Math.max(report.options.maxSteps, r.bounds?.maxSteps ?? 0, cx.steps + 1);
  const trace = counterexampleTrace(report.topology, property, cx, { maxSteps, seed: report.exhaustive ? null : r.seed });
  const witness = property.kind === 'sometimes';
  const d = sequenceDiagram(trace.topology, trace.events, traceDiagramOptions(trace, witness));
  const link = linkFrom(input.file);
  const saved = report.saved.get(r.property) ?? [];
  return {
    label: r.counterexample ? 'counterexample' : 'witness',
    facet: cx.facet,
    sentence: `${plural(cx.clientConnections, 'client connection')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${cx.facet ? `, at ${cx.facet}` : ''}`,
    message: cx.message,
    trace: saved[0] ? link(saved[0].path) : null,
    others: saved.slice(1).map((s) => ({ facet: s.facet, trace: link(s.path) })),
    replay: replayOf(report, r.property).replay,
    violationStep: cx.violation.step,
    sequence: {
      mmd: sequenceToMermaid(d),
      messages: d.items.filter((i) => i.kind === 'message').map((i) => i.steps),
      // Mermaid draws dividers, notes and left-out requests all as notes, in this order.
      notes: d.items.filter((i) => i.kind !== 'message').map((i) => i.steps),
    },
    stepped: stepThrough(trace),
  };
}

/** Everything the page shows, as plain data (embedded in it as JSON; the page's script draws from it). */
export function reportData(input: HtmlReportInput): ReportData {
  const report = input.check;
  const byName = new Map(report.results.map((r) => [r.property, r]));
  const properties: PropertyView[] = report.results.map((r) => {
    const p = propertyOf(report, r.property);
    return {
      name: r.property,
      anchor: anchorOf(r.property),
      statement: p?.statement(report.topology) ?? '',
      kind: p?.kind ?? 'always',
      verdict: r.verdict,
      ...verdictOf(report, r),
      partial: r.interrupted !== undefined,
      bounds: bounds(r, p?.facetKind),
      coverage: coverage(r),
      run: runView(input, r),
    };
  });
  const kinds = new Set(properties.flatMap((p) => p.run?.stepped.instances.map((i) => i.kind) ?? []));
  return {
    title: `connmodel report: ${report.topology.name}`,
    topology: { name: report.topology.name, description: report.topology.description },
    how: report.exhaustive
      ? 'exhaustive bounded search (breadth-first over every schedule)'
      : `random exploration: ${report.options.runs} schedules per property and facet, seed ${report.options.seed}`,
    rerun: `${report.cli} ${report.rerun}`,
    partial: report.interrupted,
    summary: report.properties.map((p) => {
      const r = byName.get(p.name);
      const cx = r?.counterexample ?? r?.witness;
      return {
        property: p.name,
        anchor: anchorOf(p.name),
        verdict: r ? r.verdict : 'not run',
        ...(r ? verdictOf(report, r) : { label: 'not run', health: null }),
        partial: r?.interrupted !== undefined,
        runs: r ? String(r.interrupted?.runs ?? r.runs) : '',
        bounds: r ? `${r.bounds.clients} × ${r.bounds.requests}` : '',
        found: cx ? `${plural(cx.clientConnections, 'client conn')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${cx.facet ? ` at ${cx.facet}` : ''}` : '',
      };
    }),
    properties,
    machines: machineDiagrams(report.topology)
      .filter((m) => kinds.has(m.kind) || kinds.size === 0)
      .map((m) => ({ kind: m.kind, caption: m.caption, mmd: m.mmd })),
    matrix: input.matrix
      ? matrixView(input.matrix, input.file, { topology: report.topology.name, anchors: new Map(properties.map((p) => [p.name, p.anchor])) })
      : null,
    simulation: input.simulation
      ? {
          about: input.simulation.about,
          charts: input.simulation.charts.map((c) => ({ title: c.title, mmd: chartToMermaid(c), series: c.series.map((s) => s.name) })),
        }
      : null,
  };
}
