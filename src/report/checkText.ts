import { assumptionsOf } from '../../models/topologies/provenance.js';
import type { CheckResult, Counterexample } from '../explore/check.js';
import type { ExhaustiveCheckResult } from '../explore/exhaustive/index.js';
import { reachLine } from '../explore/exhaustive/runner.js';
import type { Verdict } from '../explore/property.js';
import { plural, propertyOf, replayOf, type CheckReport } from './checkReport.js';
import { PLAIN, type Style } from './terminal/style.js';
import { abbreviateLists, traceExcerpt } from './traceExcerpt.js';

/**
 * `connmodel check` for people: a header, then one block per property as it
 * finishes (verdict, bounds, the counterexample in a sentence and its key
 * steps, where it was written and how to replay it), then a summary table.
 * Lines are not wrapped here (see terminal/wrap.ts).
 */

export interface TextOptions {
  style?: Style;
  /** Every step of every trace, and messages in full. */
  verbose?: boolean;
  /** Width the property names are padded to (the longest asked), so verdicts line up across blocks printed apart. */
  nameWidth?: number;
}

type Header = Pick<CheckReport, 'topology' | 'options' | 'exhaustive' | 'cli' | 'topologyArg'>;

export function checkHeader(report: Header, style: Style = PLAIN): string[] {
  const { topology, options } = report;
  const assumed = assumptionsOf(topology);
  return [
    `${style.bold('connmodel check')}: topology '${topology.name}' — ${topology.description}`,
    report.exhaustive
      ? 'exhaustive bounded search: breadth-first over every schedule (docs/exhaustive.md)'
      : `random exploration: ${options.runs} schedules per property and facet, seed ${options.seed}`,
    ...(assumed.length > 0
      ? [
          style.dim(
            `rests on ${plural(assumed.length, 'assumption')} (behaviour no source documents: ${[...new Set(assumed.map((a) => a.tier))]
              .map((t) => `${t} ${assumed.filter((a) => a.tier === t).length}`)
              .join(', ')}); \`${report.cli} topologies ${report.topologyArg}\` shows the source of every value`,
          ),
        ]
      : []),
    '',
  ];
}

/** The verdict as a word, coloured: VIOLATED red, holds green, undecided yellow. */
export function verdictWord(r: Pick<CheckResult, 'verdict'> & { interrupted?: unknown }, style: Style = PLAIN, width = 0): string {
  const word = verdictText(r.verdict).padEnd(r.interrupted ? 0 : width);
  const shown = r.verdict === 'violated' ? style.bold(style.red(word)) : r.verdict === 'holds' ? style.green(word) : style.yellow(word);
  return r.interrupted ? `${shown} ${style.yellow('(partial: interrupted)')}` : shown;
}

const verdictText = (v: Verdict) => (v === 'violated' ? 'VIOLATED' : v);

/** `--quiet`: the verdict only. */
export function quietLine(r: CheckResult, options: TextOptions = {}): string {
  const style = options.style ?? PLAIN;
  return `${r.property.padEnd(options.nameWidth ?? r.property.length)}  ${verdictWord(r, style)}`;
}

/** What was explored: schedules and facets, and the bounds of each run. */
function boundsLine(report: CheckReport, r: CheckResult): string {
  if ('exhaustive' in r) return reachLine(r as ExhaustiveCheckResult);
  const property = propertyOf(report, r.property);
  const kind = property?.facetKind === 'boundary' ? 'boundaries' : 'facets';
  const each = r.facets.length > 0 ? `${r.runs} schedules at each of ${r.facets.length} ${kind}` : `${r.runs} schedules`;
  const b = r.bounds;
  const runs = `up to ${plural(b.clients, 'client connection')} × ${plural(b.requests, 'request')}, ${b.maxSteps} steps a run`;
  if (r.interrupted) return `explored ${r.interrupted.runs ?? 0} of ${r.runs * Math.max(1, r.facets.length)} schedules before Ctrl-C (${runs}); not finished, not a verdict unless violated`;
  return `explored ${each}: ${runs}`;
}

/** Which facets broke and which held: `broken at 6 of 7 boundaries: a, b, …; holds at c`. */
function facetsLine(report: CheckReport, r: CheckResult): string | null {
  if (r.facets.length === 0) return null;
  const kind = propertyOf(report, r.property)?.facetKind === 'boundary' ? ['boundary', 'boundaries'] : ['facet', 'facets'];
  const undecided = 'exhaustive' in r ? (r as ExhaustiveCheckResult).exhaustive.undecided : [];
  const broken = r.facets.filter((f) => f.verdict === 'violated').map((f) => f.facet);
  const held = r.facets.filter((f) => f.verdict === 'holds' && !undecided.includes(f.facet)).map((f) => f.facet);
  const open = r.facets.filter((f) => f.verdict === 'undecided' || undecided.includes(f.facet)).map((f) => f.facet);
  if (broken.length === 0) return open.length > 0 ? `not decided at: ${open.join(', ')}` : null;
  const parts = [`broken at ${broken.length} of ${plural(r.facets.length, kind[0]!, kind[1]!)}: ${broken.join(', ')}`];
  if (held.length > 0) parts.push(`holds at ${held.join(', ')}`);
  if (open.length > 0) parts.push(`not decided at ${open.join(', ')}`);
  return parts.join('; ');
}

/** The counterexample (or witness) in one sentence: its size, then what broke. */
function sentence(r: CheckResult, cx: Counterexample, verbose: boolean): string {
  const what = r.counterexample ? 'counterexample' : 'witness';
  const where = cx.facet ? ` at ${cx.facet}` : '';
  const how =
    'exhaustive' in r
      ? (r as ExhaustiveCheckResult).exhaustive.shortest
        ? ', a shortest one'
        : ''
      : cx.shrinks > 0
        ? `, shrunk ${cx.shrinks === 1 ? 'once' : `${cx.shrinks} times`}`
        : '';
  const size = `${plural(cx.clientConnections, 'client connection')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${how}`;
  return `${what}${where} (${size}): ${verbose ? cx.message : abbreviateLists(cx.message)}`;
}

/** One property's block: verdict and statement, bounds, facets, counterexample and its key steps, trace and replay. */
export function propertyBlock(report: CheckReport, r: CheckResult, options: TextOptions = {}): string[] {
  const style = options.style ?? PLAIN;
  const property = propertyOf(report, r.property);
  const name = style.bold(r.property.padEnd(options.nameWidth ?? r.property.length));
  // Verdicts padded to one width, so statements line up across blocks.
  const lines = [`${name}  ${verdictWord(r, style, 8)}  ${property?.description ?? ''}`.trimEnd(), `  ${boundsLine(report, r)}`];
  if ('exhaustive' in r) {
    const x = (r as ExhaustiveCheckResult).exhaustive;
    if (x.spurious.length > 0)
      lines.push(`  undecided: only paths infeasible in exact time were found (time is over-approximated; try --time exact): ${x.spurious.join(', ')}`);
  }
  const facets = facetsLine(report, r);
  if (facets) lines.push(`  ${facets}`);
  const cx = r.counterexample ?? r.witness;
  if (cx) {
    lines.push(`  ${sentence(r, cx, options.verbose === true)}`);
    const trace = traceExcerpt(cx.events, cx.message, { whole: options.verbose, gap: style.dim });
    for (const l of trace) lines.push(`    ${l}`);
    const { trace: path, replay } = replayOf(report, r.property);
    if (path) lines.push(`  trace: ${path} ${style.dim('(its sequence diagram beside it: .mmd, .puml)')}`);
    lines.push(`  replay: ${style.cyan(replay)}`);
  }
  lines.push('');
  return lines;
}

/** The table `npm start` prints, and `check` closes with: one row per property asked. */
export function summaryRows(report: CheckReport, style: Style = PLAIN): string[] {
  const byName = new Map(report.results.map((r) => [r.property, r]));
  const rows = report.properties.map((p) => {
    const r = byName.get(p.name);
    if (!r) return { cells: [p.name, 'not run', '', ''], verdict: null as CheckResult | null };
    const cx = r.counterexample ?? r.witness;
    const saved = report.saved.get(r.property)?.[0]?.path;
    const verdict = r.interrupted ? `${r.verdict} (partial)` : r.verdict;
    // An exhaustive search runs no schedules: its size is the states it visited.
    const runs =
      'exhaustive' in r
        ? `${(r as ExhaustiveCheckResult).exhaustive.uniqueStates} states`
        : r.interrupted?.runs !== undefined
          ? `${r.interrupted.runs}`
          : String(r.runs);
    const found = cx
      ? `${plural(cx.clientConnections, 'client conn')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${cx.facet ? ` at ${cx.facet}` : ''}${saved ? ` -> ${saved}` : ''}`
      : '';
    return { cells: [r.property, verdict, runs, found], verdict: r };
  });
  const head = ['property', 'verdict', 'runs', 'counterexample (or witness)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const paint = (cell: string, i: number, r: CheckResult | null) => {
    const padded = cell.padEnd(widths[i]!);
    if (i !== 1) return padded;
    if (r === null || r.interrupted || r.verdict === 'undecided') return style.yellow(padded);
    return r.verdict === 'violated' ? style.red(padded) : style.green(padded);
  };
  const fmt = (cells: string[], r: CheckResult | null, header = false) =>
    `| ${cells.map((c, i) => (header ? c.padEnd(widths[i]!) : paint(c, i, r))).join(' | ')} |`;
  return [fmt(head, null, true), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => fmt(r.cells, r.verdict))];
}

/** `connmodel run` (`npm start`): the topology, then the summary table. */
export function summaryTable(report: CheckReport, style: Style = PLAIN): string {
  return [`topology '${report.topology.name}': ${report.topology.description}`, '', ...summaryRows(report, style), ''].join('\n');
}

/** What `check` closes with: the table, then one line (and, when interrupted, what that means). */
export function closingLines(report: CheckReport, style: Style = PLAIN): string[] {
  const violated = report.results.filter((r) => r.verdict === 'violated').length;
  const lines = [...summaryRows(report, style), ''];
  if (report.interrupted) {
    const done = report.results.filter((r) => !r.interrupted).length;
    lines.push(
      style.yellow(
        `Interrupted (Ctrl-C): ${done} of ${plural(report.properties.length, 'property', 'properties')} checked to the end; partial results are marked; traces of what was found are written.`,
      ),
    );
  }
  const undecided = report.results.filter((r) => r.verdict === 'undecided').length;
  lines.push(
    `${violated} of ${plural(report.properties.length, 'property', 'properties')} violated${undecided > 0 ? `, ${undecided} undecided (nothing found, nothing proved)` : ''} on '${report.topology.name}'.`,
  );
  return lines;
}
