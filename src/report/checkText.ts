import { assumptionsOf } from '../../models/topologies/provenance.js';
import type { CheckResult, Counterexample } from '../explore/check.js';
import { transitionCoverage, type MachineCoverage } from '../explore/coverage.js';
import type { ExhaustiveCheckResult } from '../explore/exhaustive/index.js';
import { reachLine } from '../explore/exhaustive/runner.js';
import type { Property } from '../explore/property.js';
import { isHealthy, verdictText } from '../explore/verdict.js';
import { checkCoverage, coverageShortfall, failed, plural, propertyOf, replayOf, type CheckReport } from './checkReport.js';
import { PLAIN, type Style } from './terminal/style.js';
import { abbreviateLists, traceExcerpt } from './traceExcerpt.js';

/**
 * `connmodel check` for people: a header, then one block per property as it
 * finishes (verdict and what the property promises on this topology, bounds,
 * the counterexample in a sentence and its key steps, where it was written
 * and how to replay it), then machine coverage and a summary table.
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

/**
 * The verdict as words, coloured: a finding (VIOLATED; REACHABLE for a bad
 * state) in red capitals, a healthy pipeline's verdict green, the rest
 * (undecided, not applicable) yellow. `not found` says in how many runs.
 */
export function verdictWord(
  r: Pick<CheckResult, 'verdict' | 'runs'> & { interrupted?: unknown },
  property: Pick<Property, 'kind' | 'witnessIs'> | undefined,
  style: Style = PLAIN,
  width = 0,
): string {
  const health = property ? isHealthy(property, r.verdict) : r.verdict === 'violated' ? false : r.verdict === 'holds' ? true : null;
  const text = verdictText(r.verdict, r.runs);
  const word = (health === false ? text.toUpperCase() : text).padEnd(r.interrupted ? 0 : width);
  const shown = r.interrupted && r.verdict !== 'violated' ? style.yellow(word) : health === false ? style.bold(style.red(word)) : health === true ? style.green(word) : style.yellow(word);
  return r.interrupted ? `${shown} ${style.yellow('(partial: interrupted)')}` : shown;
}

/** `--quiet`: the verdict only. */
export function quietLine(report: Pick<CheckReport, 'properties'>, r: CheckResult, options: TextOptions = {}): string {
  const style = options.style ?? PLAIN;
  return `${r.property.padEnd(options.nameWidth ?? r.property.length)}  ${verdictWord(r, propertyOf(report, r.property), style)}`;
}

/** What was explored: schedules and facets, and the bounds of each run (the verdict holds within them). */
function boundsLine(report: CheckReport, r: CheckResult): string {
  if ('exhaustive' in r) return reachLine(r as ExhaustiveCheckResult);
  const property = propertyOf(report, r.property);
  const kind = property?.facetKind === 'boundary' ? 'boundaries' : 'facets';
  const each = r.facets.length > 0 ? `${plural(r.runs, 'schedule')} at each of ${r.facets.length} ${kind}` : plural(r.runs, 'schedule');
  const b = r.bounds;
  const then = b.tail ? 'then seeded random choices' : 'then default choices';
  const runs = `up to ${plural(b.clients, 'client connection')} × ${plural(b.requests, 'request')}, schedules of up to ${plural(b.scheduleLength, 'choice')} ${then}, at most ${plural(b.maxSteps, 'step')} a run`;
  if (r.interrupted)
    return `explored ${r.interrupted.runs ?? 0} of ${r.runs * Math.max(1, r.facets.length)} schedules before Ctrl-C (${runs}); not finished, not a verdict unless something was found`;
  return `explored ${each}, seed ${r.seed}: ${runs}`;
}

/** Which facets broke (or reached the witness) and which held: `broken at 6 of 7 boundaries: a, b, …; holds at c`. */
function facetsLine(report: CheckReport, r: CheckResult): string | null {
  if (r.facets.length === 0) return null;
  const kind = propertyOf(report, r.property)?.facetKind === 'boundary' ? ['boundary', 'boundaries'] : ['facet', 'facets'];
  const undecided = 'exhaustive' in r ? (r as ExhaustiveCheckResult).exhaustive.undecided : [];
  const reaching = r.facets.some((f) => f.verdict === 'reachable' || f.verdict === 'not found' || f.verdict === 'unreachable');
  const open = r.facets.filter((f) => f.verdict === 'undecided' || undecided.includes(f.facet)).map((f) => f.facet);
  const broken = r.facets.filter((f) => (f.counterexample ?? f.witness) && !open.includes(f.facet)).map((f) => f.facet);
  const held = r.facets.filter((f) => !(f.counterexample ?? f.witness) && !open.includes(f.facet)).map((f) => f.facet);
  if (broken.length === 0) return open.length > 0 ? `not decided at: ${open.join(', ')}` : null;
  const parts = [`${reaching ? 'reached' : 'broken'} at ${broken.length} of ${plural(r.facets.length, kind[0]!, kind[1]!)}: ${broken.join(', ')}`];
  if (held.length > 0) parts.push(`${reaching ? 'not reached' : 'holds'} at ${held.join(', ')}`);
  if (open.length > 0) parts.push(`not decided at ${open.join(', ')}`);
  return parts.join('; ');
}

/** The counterexample (or witness) in one sentence: its size, how it was made small, then what broke. */
function sentence(r: CheckResult, cx: Counterexample, verbose: boolean): string {
  const what = r.counterexample ? 'counterexample' : 'witness';
  const where = cx.facet ? ` at ${cx.facet}` : '';
  const n = cx.simplifications;
  const how =
    'exhaustive' in r
      ? (r as ExhaustiveCheckResult).exhaustive.shortest
        ? ', a shortest one'
        : ''
      : `, the simplest found${n > 0 ? `, simplified ${n === 1 ? 'once' : `${n} times`}` : ''}`;
  const size = `${plural(cx.clientConnections, 'client connection')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${how}`;
  return `${what}${where} (${size}): ${verbose ? cx.message : abbreviateLists(cx.message)}`;
}

/** One property's block: verdict and statement (in the topology's words), bounds (and a note when below what the property asks for), facets, counterexample and its key steps, trace and replay. */
export function propertyBlock(report: CheckReport, r: CheckResult, options: TextOptions = {}): string[] {
  const style = options.style ?? PLAIN;
  const property = propertyOf(report, r.property);
  const name = style.bold(r.property.padEnd(options.nameWidth ?? r.property.length));
  // Verdicts padded to one width, so statements line up across blocks.
  const head = `${name}  ${verdictWord(r, property, style, 8)}  ${property?.statement(report.topology) ?? ''}`.trimEnd();
  if (r.verdict === 'not applicable') return [head, `  not applicable: ${r.reason ?? ''}`, ''];
  const lines = [head, `  ${boundsLine(report, r)}`];
  if (r.boundsNote) lines.push(`  note: ${r.boundsNote}`);
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
    if (!r) return { cells: [p.name, 'not run', '', '', ''], verdict: null as CheckResult | null };
    const cx = r.counterexample ?? r.witness;
    const saved = report.saved.get(r.property)?.[0]?.path;
    const word = verdictText(r.verdict, r.runs);
    const verdict = r.interrupted ? `${word} (partial)` : word;
    // An exhaustive search runs no schedules: its size is the states it visited.
    const runs =
      'exhaustive' in r
        ? `${(r as ExhaustiveCheckResult).exhaustive.uniqueStates} states`
        : r.interrupted?.runs !== undefined
          ? `${r.interrupted.runs}`
          : String(r.runs);
    const bounds = `${r.bounds.clients} × ${r.bounds.requests}`;
    const found =
      r.verdict === 'not applicable'
        ? (r.reason ?? '')
        : cx
          ? `${plural(cx.clientConnections, 'client conn')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${cx.facet ? ` at ${cx.facet}` : ''}${saved ? ` -> ${saved}` : ''}`
          : '';
    return { cells: [r.property, verdict, runs, bounds, found], verdict: r };
  });
  const head = ['property', 'verdict', 'runs', 'bounds', 'counterexample (or witness)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i]!.length)));
  const paint = (cell: string, i: number, r: CheckResult | null) => {
    const padded = cell.padEnd(widths[i]!);
    if (i !== 1) return padded;
    if (r === null || r.interrupted) return style.yellow(padded);
    const health = isHealthy(propertyOf(report, r.property) ?? { kind: 'always' }, r.verdict);
    return health === false ? style.red(padded) : health === true ? style.green(padded) : style.yellow(padded);
  };
  const fmt = (cells: string[], r: CheckResult | null, header = false) =>
    `| ${cells.map((c, i) => (header ? c.padEnd(widths[i]!) : paint(c, i, r))).join(' | ')} |`;
  return [fmt(head, null, true), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => fmt(r.cells, r.verdict))];
}

/** `connmodel run` (`npm start`): the topology, how it was explored, then the summary table. */
export function summaryTable(report: CheckReport, style: Style = PLAIN): string {
  const how = report.exhaustive
    ? 'exhaustive bounded search; runs: unique states; bounds: client connections × requests each'
    : `random exploration: ${report.options.runs} runs per property, seed ${report.options.seed}; bounds: client connections × requests each`;
  return [`topology '${report.topology.name}': ${report.topology.description}`, how, '', ...summaryRows(report, style), ''].join('\n');
}

const percent = (x: number) => `${Math.floor(x * 1000) / 10}%`;

/**
 * One line per machine kind: states and transitions exercised, and those
 * never exercised (the first few unless `verbose`; `--json` lists them all).
 */
export function coverageLines(coverage: readonly MachineCoverage[], verbose = false): string[] {
  const SHOWN = 3;
  return coverage.map((c) => {
    const never = [...c.states.missed.map((s) => `state ${s}`), ...c.transitions.missed];
    const listed = verbose || never.length <= SHOWN + 1 ? never : [...never.slice(0, SHOWN), `… ${never.length - SHOWN} more (--verbose or --json lists them)`];
    return `coverage ${c.kind}: ${c.states.exercised}/${c.states.total} states, ${c.transitions.exercised}/${c.transitions.total} transitions (${percent(transitionCoverage(c))})${never.length > 0 ? `; never: ${listed.join('; ')}` : ''}`;
  });
}

/** What `check` closes with: machine coverage, the table, then one line (and, when interrupted, what that means). */
export function closingLines(report: CheckReport, style: Style = PLAIN, options: Pick<TextOptions, 'verbose'> = {}): string[] {
  const findings = report.results.filter((r) => failed(report, r)).length;
  const skipped = report.results.filter((r) => r.verdict === 'not applicable').length;
  const coverage = checkCoverage(report);
  const lines = coverage.some((c) => c.transitions.exercised > 0) ? [...coverageLines(coverage, options.verbose), ''] : [];
  lines.push(...summaryRows(report, style), '');
  if (report.interrupted) {
    const done = report.results.filter((r) => !r.interrupted).length;
    lines.push(
      style.yellow(
        `Interrupted (Ctrl-C): ${done} of ${plural(report.properties.length, 'property', 'properties')} checked to the end; partial results are marked; traces of what was found are written.`,
      ),
    );
  }
  for (const c of coverageShortfall(coverage, report.minCoverage))
    lines.push(style.yellow(`warning: ${c.kind} coverage ${percent(transitionCoverage(c))} of its transitions, below --min-coverage ${percent(report.minCoverage!)}`));
  const undecided = report.results.filter((r) => r.verdict === 'undecided').length;
  lines.push(
    `${findings} of ${plural(report.properties.length, 'property', 'properties')} failed on '${report.topology.name}' (violated, or a bad state reachable)${undecided > 0 ? `; ${undecided} undecided (nothing found, nothing proved)` : ''}${skipped > 0 ? `; ${skipped} not applicable` : ''}.`,
  );
  return lines;
}

/** The whole text of a check, as `check` prints it (header, every block, closing lines), for a library caller or a test. */
export function checkText(report: CheckReport, options: TextOptions = {}): string {
  const nameWidth = options.nameWidth ?? Math.max(...report.properties.map((p) => p.name.length));
  const o = { ...options, nameWidth };
  return [...checkHeader(report, o.style), ...report.results.flatMap((r) => propertyBlock(report, r, o)), ...closingLines(report, o.style, o)].join('\n') + '\n';
}
