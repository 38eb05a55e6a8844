import type { Topology } from '../../models/topologies/topology.js';
import type { SavedCounterexample } from '../report/counterexamples.js';
import type { CheckOptions, CheckResult } from '../explore/check.js';
import { describeTrace } from '../trace/describe.js';
import type { ExhaustiveCheckResult } from '../explore/exhaustive/index.js';
import { reachLine } from '../explore/exhaustive/runner.js';
import { catalogue } from '../../properties/catalogue.js';

export interface CheckReportInput {
  topology: Topology;
  results: CheckResult[];
  saved: Map<string, SavedCounterexample[]>;
  options: CheckOptions;
  /** The command line that reproduces this check (used when no trace was written). */
  rerun: string;
}

function replayOf(input: CheckReportInput, property: string): { trace: string | null; replay: string } {
  const path = input.saved.get(property)?.[0]?.path ?? null;
  return { trace: path, replay: path ? `connmodel replay ${path}` : `${input.rerun} --property ${property}` };
}

/** The `--json` document: exactly one object, stable for the same inputs. */
export function checkJson(input: CheckReportInput): unknown {
  return {
    topology: input.topology.name,
    results: input.results.map((r) => {
      const property = catalogue.find((p) => p.name === r.property);
      const out: Record<string, unknown> = { property: r.property, verdict: r.verdict, runs: r.runs, seed: r.seed };
      if ('exhaustive' in r) out.exhaustive = exhaustiveJson(r as ExhaustiveCheckResult);
      const undecided = 'exhaustive' in r ? (r as ExhaustiveCheckResult).exhaustive.undecided : [];
      if (property?.facetKind === 'boundary')
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

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Human output: a verdict line per property; for a violation the counterexample, where it broke, and how to replay it. */
export function checkText(input: CheckReportInput): string {
  const { topology, results, options } = input;
  const lines: string[] = [
    `connmodel check: topology '${topology.name}' — ${topology.description}`,
    results.some((r) => 'exhaustive' in r)
      ? 'exhaustive bounded search: breadth-first over every schedule (docs/exhaustive.md)'
      : `random exploration: ${options.runs} schedules per property, seed ${options.seed}`,
    '',
  ];
  const width = Math.max(...results.map((r) => r.property.length)) + 2;
  for (const r of results) {
    const property = catalogue.find((p) => p.name === r.property);
    const word = r.verdict === 'violated' ? 'VIOLATED' : r.verdict === 'undecided' ? 'undecided' : 'holds   ';
    lines.push(`${r.property.padEnd(width)}${word}  ${property?.description ?? ''}`);
    if ('exhaustive' in r) {
      const x = (r as ExhaustiveCheckResult).exhaustive;
      lines.push(`  ${reachLine(r as ExhaustiveCheckResult)}`);
      if (x.undecided.length > 0) lines.push(`  not decided (the search stopped first): ${x.undecided.join(', ')}`);
      if (x.spurious.length > 0)
        lines.push(`  undecided: only paths infeasible in exact time were found (time is over-approximated; try --time exact): ${x.spurious.join(', ')}`);
    }
    if (r.facets.length > 0) {
      const broken = r.facets.filter((f) => f.verdict === 'violated');
      const held = r.facets.filter((f) => f.verdict === 'holds');
      const kind = property?.facetKind ?? 'facet';
      if (broken.length > 0)
        lines.push(
          `  broken at ${broken.length} ${kind === 'boundary' ? (broken.length === 1 ? 'boundary' : 'boundaries') : broken.length === 1 ? 'facet' : 'facets'}: ${broken
            .map((f) => `${f.facet} (${plural(f.counterexample!.clientConnections, 'client connection')}, ${plural(f.counterexample!.requests, 'request')})`)
            .join(', ')}`,
        );
      const undecided = 'exhaustive' in r ? (r as ExhaustiveCheckResult).exhaustive.undecided : [];
      const heldHere = held.filter((f) => !undecided.includes(f.facet));
      if (heldHere.length > 0 && broken.length > 0) lines.push(`  holds at: ${heldHere.map((f) => f.facet).join(', ')}`);
    }
    const cx = r.counterexample ?? r.witness;
    if (cx) {
      const where = cx.facet ? ` at ${cx.facet}` : '';
      lines.push(
        `  ${r.counterexample ? 'counterexample' : 'witness'}${where}: ${plural(cx.clientConnections, 'client connection')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')} (${'exhaustive' in r ? ((r as ExhaustiveCheckResult).exhaustive.shortest ? 'shortest, by breadth-first search' : 'by breadth-first search; a shorter one may exist (a spurious path came first)') : `shrunk ${plural(cx.shrinks, 'time')}`})`,
        `  ${cx.message}`,
      );
      for (const l of describeTrace(cx.events)) lines.push(`    ${l}`);
      const { trace, replay } = replayOf(input, r.property);
      if (trace) lines.push(`  trace: ${trace}`);
      lines.push(`  replay: ${replay}`);
    }
    lines.push('');
  }
  const violated = results.filter((r) => r.verdict === 'violated').length;
  const undecided = results.filter((r) => r.verdict === 'undecided').length;
  lines.push(
    `${violated} of ${plural(results.length, 'property', 'properties')} violated${undecided > 0 ? `, ${undecided} undecided (nothing found, nothing proved)` : ''} on '${topology.name}'.`,
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
      r.verdict,
      String(r.runs),
      cx
        ? `${plural(cx.clientConnections, 'client conn')}, ${plural(cx.requests, 'request')}, ${plural(cx.steps, 'step')}${cx.facet ? ` at ${cx.facet}` : ''}${saved ? ` -> ${saved}` : ''}`
        : '',
    ];
  });
  const head = ['property', 'verdict', 'runs', 'counterexample (or witness)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    `topology '${input.topology.name}': ${input.topology.description}`,
    '',
    fmt(head),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(fmt),
    '',
  ].join('\n');
}
