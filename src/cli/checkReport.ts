import type { Topology } from '../../models/topologies/topology.js';
import type { SavedCounterexample } from '../report/counterexamples.js';
import type { CheckOptions, CheckResult } from '../explore/check.js';
import { coverageOf, mergeExercised, transitionCoverage, type MachineCoverage } from '../explore/coverage.js';
import { describeTrace } from '../trace/describe.js';
import type { ExhaustiveCheckResult } from '../explore/exhaustive/index.js';
import { reachLine } from '../explore/exhaustive/runner.js';
import type { Property } from '../explore/property.js';
import { isFailure, verdictText } from '../explore/verdict.js';
import { catalogue } from '../../properties/catalogue.js';

export interface CheckReportInput {
  topology: Topology;
  results: CheckResult[];
  saved: Map<string, SavedCounterexample[]>;
  options: CheckOptions;
  /** The command line that reproduces this check (used when no trace was written). */
  rerun: string;
  /** `--min-coverage`: the share of each machine's transitions (0..1) below which a warning is due. */
  minCoverage?: number;
}

const propertyOf = (name: string): Property | undefined => catalogue.find((p) => p.name === name);
const isExhaustive = (r: CheckResult): r is ExhaustiveCheckResult => 'exhaustive' in r;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
const percent = (x: number) => `${Math.floor(x * 1000) / 10}%`;

/** Whether a result is a finding (exit 1): violated, or a bad state reachable (or a good one not reached). */
export function failed(r: CheckResult): boolean {
  const p = propertyOf(r.property);
  return p ? isFailure(p, r.verdict) : r.verdict === 'violated';
}

function replayOf(input: CheckReportInput, property: string): { trace: string | null; replay: string } {
  const path = input.saved.get(property)?.[0]?.path ?? null;
  return { trace: path, replay: path ? `connmodel replay ${path}` : `${input.rerun} --property ${property}` };
}

/** The bounds a verdict was reached within, in one line. */
export function boundsLine(r: CheckResult): string {
  const b = r.bounds;
  if (isExhaustive(r))
    return `${plural(b.clients, 'client connection')} × ${plural(b.requests, 'request')}, every schedule up to depth ${r.exhaustive.depth}`;
  const schedule = `schedules of up to ${plural(b.scheduleLength, 'choice')}${b.tail ? ' then seeded random choices' : ' then default choices'}`;
  return `${plural(b.clients, 'client connection')} × ${plural(b.requests, 'request')}, ${schedule}, at most ${plural(b.maxSteps, 'step')}, ${plural(r.runs, 'run')}, seed ${r.seed}`;
}

/** The machine coverage of every result together. */
export function checkCoverage(input: Pick<CheckReportInput, 'topology' | 'results'>): MachineCoverage[] {
  return coverageOf(input.topology, mergeExercised(input.results.map((r) => r.coverage)));
}

/** Machine kinds whose transition coverage is below `min` (0..1). */
export function coverageShortfall(coverage: readonly MachineCoverage[], min: number | undefined): MachineCoverage[] {
  return min === undefined ? [] : coverage.filter((c) => transitionCoverage(c) < min);
}

/** One line per machine kind: states and transitions exercised, and the transitions never taken. */
export function coverageLines(coverage: readonly MachineCoverage[]): string[] {
  return coverage.map((c) => {
    const never = [...c.states.missed.map((s) => `state ${s}`), ...c.transitions.missed];
    return `coverage ${c.kind}: ${c.states.exercised}/${c.states.total} states, ${c.transitions.exercised}/${c.transitions.total} transitions (${percent(transitionCoverage(c))})${never.length > 0 ? `; never: ${never.join('; ')}` : ''}`;
  });
}

/** The `"coverage"` object of `--json`: per machine kind, what its definition has, what was exercised, what never was. */
export function coverageJson(coverage: readonly MachineCoverage[]): Record<string, unknown> {
  return Object.fromEntries(coverage.map((c) => [c.kind, { states: c.states, transitions: c.transitions, ratio: Math.round(transitionCoverage(c) * 1000) / 1000 }]));
}

/** The `--json` document: exactly one object, stable for the same inputs. */
export function checkJson(input: CheckReportInput): unknown {
  const coverage = checkCoverage(input);
  const short = coverageShortfall(coverage, input.minCoverage);
  return {
    topology: input.topology.name,
    results: input.results.map((r) => {
      const property = propertyOf(r.property);
      const out: Record<string, unknown> = {
        property: r.property,
        verdict: r.verdict,
        statement: property?.statement(input.topology) ?? r.property,
        runs: r.runs,
        seed: r.seed,
        bounds: { ...r.bounds, runs: r.runs, seed: r.seed },
      };
      if (r.reason !== undefined) out.reason = r.reason;
      if (r.boundsNote !== undefined) out.boundsNote = r.boundsNote;
      if (isExhaustive(r)) out.exhaustive = exhaustiveJson(r);
      const undecided = isExhaustive(r) ? r.exhaustive.undecided : [];
      if (property?.facetKind === 'boundary' && r.facets.length > 0)
        out.boundaries = Object.fromEntries(r.facets.map((f) => [f.facet, undecided.includes(f.facet) ? 'undecided' : f.verdict]));
      for (const [label, cx] of [['counterexample', r.counterexample], ['witness', r.witness]] as const) {
        if (!cx) continue;
        out[label] = {
          clientConnections: cx.clientConnections,
          requests: cx.requests,
          steps: cx.steps,
          ...(cx.facet !== null ? { [property?.facetKind ?? 'facet']: cx.facet } : {}),
          message: cx.message,
          ...replayOf(input, r.property),
        };
      }
      return out;
    }),
    coverage: coverageJson(coverage),
    ...(input.minCoverage !== undefined ? { minCoverage: input.minCoverage, coverageBelowMinimum: short.map((c) => c.kind) } : {}),
  };
}

/** The `"exhaustive"` object of `--json` (exhaustive/index.ts documents each field). */
function exhaustiveJson(r: ExhaustiveCheckResult): Record<string, unknown> {
  const x = r.exhaustive;
  return {
    complete: x.complete,
    depth: x.depth,
    uniqueStates: x.uniqueStates,
    statesPerSecond: x.statesPerSecond,
    totalStates: x.totalStates,
    stoppedBy: x.stoppedBy,
    symmetry: x.symmetry,
    time: x.timeAbstraction,
    clients: x.clients,
    requests: x.requests,
    seconds: Math.round(x.seconds * 1000) / 1000,
    undecided: x.undecided,
    ...(x.spurious.length > 0 ? { spurious: x.spurious } : {}),
    shortest: x.shortest,
    stages: x.stages.map((s) => ({ clients: s.clients, requests: s.requests, complete: s.complete, depth: s.depth, uniqueStates: s.uniqueStates })),
  };
}

/** The verdict as the text report prints it: findings in capitals. */
function verdictWord(r: CheckResult): string {
  const text = verdictText(r.verdict, r.runs);
  return failed(r) ? text.toUpperCase() : text;
}

/** Human output: a verdict line per property with its statement and bounds; for a finding the run, where it broke, and how to replay it. */
export function checkText(input: CheckReportInput): string {
  const { topology, results, options } = input;
  const lines: string[] = [
    `connmodel check: topology '${topology.name}' — ${topology.description}`,
    results.some(isExhaustive)
      ? 'exhaustive bounded search: breadth-first over every schedule (docs/exhaustive.md)'
      : `random exploration: ${options.runs} schedules per property, each going on with seeded random choices after its explicit part, seed ${options.seed}`,
    '',
  ];
  const width = Math.max(...results.map((r) => r.property.length)) + 2;
  for (const r of results) {
    const property = propertyOf(r.property);
    lines.push(`${r.property.padEnd(width)}${verdictWord(r)}  ${property?.statement(topology) ?? ''}`);
    if (r.verdict === 'not applicable') {
      lines.push(`  not applicable: ${r.reason}`, '');
      continue;
    }
    lines.push(`  explored: ${boundsLine(r)}`);
    if (r.boundsNote) lines.push(`  note: ${r.boundsNote}`);
    if (isExhaustive(r)) {
      const x = r.exhaustive;
      lines.push(`  ${reachLine(r)}`);
      if (x.undecided.length > 0) lines.push(`  not decided (the search stopped first): ${x.undecided.join(', ')}`);
      if (x.spurious.length > 0)
        lines.push(`  undecided: only paths infeasible in exact time were found (time is over-approximated; try --time exact): ${x.spurious.join(', ')}`);
    }
    if (r.facets.length > 0) {
      const broken = r.facets.filter((f) => f.counterexample ?? f.witness);
      const kind = property?.facetKind === 'boundary' ? ['boundary', 'boundaries'] : ['facet', 'facets'];
      const undecided = isExhaustive(r) ? r.exhaustive.undecided : [];
      const held = r.facets.filter((f) => !(f.counterexample ?? f.witness) && !undecided.includes(f.facet));
      if (broken.length > 0)
        lines.push(
          `  ${r.counterexample ? 'broken' : 'reached'} at ${broken.length} ${broken.length === 1 ? kind[0] : kind[1]}: ${broken
            .map((f) => {
              const cx = (f.counterexample ?? f.witness)!;
              return `${f.facet} (${plural(cx.clientConnections, 'client connection')}, ${plural(cx.requests, 'request')})`;
            })
            .join(', ')}`,
        );
      if (held.length > 0 && broken.length > 0) lines.push(`  ${r.counterexample ? 'holds' : 'not reached'} at: ${held.map((f) => f.facet).join(', ')}`);
    }
    const cx = r.counterexample ?? r.witness;
    if (cx) {
      const where = cx.facet ? ` at ${cx.facet}` : '';
      const how = isExhaustive(r)
        ? r.exhaustive.shortest
          ? 'shortest, by breadth-first search'
          : 'by breadth-first search; a shorter one may exist (a spurious path came first)'
        : `the simplest found: smallest bounds first, then choice by choice; simplified ${plural(cx.simplifications, 'time')}`;
      lines.push(
        `  ${r.counterexample ? 'counterexample' : 'witness'}${where}: ${plural(cx.clientConnections, 'client connection')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')} (${how})`,
        `  ${cx.message}`,
      );
      for (const l of describeTrace(cx.events)) lines.push(`    ${l}`);
      const { trace, replay } = replayOf(input, r.property);
      if (trace) lines.push(`  trace: ${trace}`);
      lines.push(`  replay: ${replay}`);
    }
    lines.push('');
  }
  const coverage = checkCoverage(input);
  if (coverage.some((c) => c.transitions.exercised > 0)) lines.push(...coverageLines(coverage), '');
  for (const c of coverageShortfall(coverage, input.minCoverage))
    lines.push(`warning: ${c.kind} coverage ${percent(transitionCoverage(c))} of its transitions, below --min-coverage ${percent(input.minCoverage!)}`);
  const findings = results.filter(failed).length;
  const skipped = results.filter((r) => r.verdict === 'not applicable').length;
  lines.push(
    `${findings} of ${plural(results.length, 'property', 'properties')} failed on '${topology.name}' (violated, or a bad state reachable)${skipped > 0 ? `; ${skipped} not applicable` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The short table `npm start` prints. */
export function summaryTable(input: CheckReportInput): string {
  const rows = input.results.map((r) => {
    const cx = r.counterexample ?? r.witness;
    const saved = input.saved.get(r.property)?.[0]?.path;
    return [
      r.property,
      verdictText(r.verdict, r.runs),
      `${r.bounds.clients} × ${r.bounds.requests}`,
      r.verdict === 'not applicable'
        ? (r.reason ?? '')
        : cx
          ? `${plural(cx.clientConnections, 'client conn')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${cx.facet ? ` at ${cx.facet}` : ''}${saved ? ` -> ${saved}` : ''}`
          : '',
    ];
  });
  const head = ['property', 'verdict', 'bounds', 'counterexample (or witness)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `topology '${input.topology.name}': ${input.topology.description}`,
    `random exploration: ${input.options.runs} runs per property, seed ${input.options.seed}; bounds: client connections × requests each`,
    '',
    fmt(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(fmt),
    '',
  ].join('\n');
}
