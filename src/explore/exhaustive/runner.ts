import type { Topology } from '../../../models/topologies/topology.js';
import { notApplicableResult, type CheckResult } from '../check.js';
import type { Property } from '../property.js';
import { ExhaustiveCheck, exhaustiveBounds, type ExhaustiveCheckResult, type ExhaustiveOptions, type ExhaustiveProgress, type ExhaustiveStats } from './index.js';

const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
const num = (n: number) => Math.round(n).toLocaleString('en-US');

/** One progress line: states, unique, depth, states/s, memory. */
export function progressLine(property: string, p: ExhaustiveProgress): string {
  const rate = p.totalStates / Math.max(p.seconds, 1e-9);
  return `exhaustive ${property} (${p.clients}×${p.requests}): ${num(p.totalStates)} states, ${num(p.uniqueStates)} unique, depth ${p.depth}, ${num(rate)} states/s, ${mib(p.rssBytes)}`;
}

/** The honest one-line verdict on how far the search went. */
export function reachLine(r: ExhaustiveCheckResult): string {
  const x: ExhaustiveStats = r.exhaustive;
  const bounds = `${x.clients} client connection${x.clients === 1 ? '' : 's'}, ${x.requests} request${x.requests === 1 ? '' : 's'} each`;
  const states = `${num(x.uniqueStates)} unique states (${num(x.totalStates)} generated, ${num(x.statesPerSecond)}/s)`;
  // Stages below the last one were complete (the search moves on only then).
  const smaller = x.stages.length > 1 ? `; every smaller bound complete first (${x.stages.slice(0, -1).map((s) => `${s.clients}×${s.requests}`).join(', ')})` : '';
  const found = r.counterexample ?? r.witness;
  if (found)
    return `exhaustive (${bounds}): ${r.counterexample ? 'counterexample' : 'witness'} of ${found.steps} steps${x.shortest ? ', a shortest one' : ''}; ${states}${smaller}`;
  const why =
    x.stoppedBy === 'complete'
      ? 'state space complete'
      : x.stoppedBy === 'depth'
        ? `truncated at depth ${x.depth}: not a proof beyond it`
        : x.stoppedBy === 'max-states'
          ? `truncated at ${num(x.uniqueStates)} states (--max-states): not a proof`
          : x.stoppedBy === 'interrupted'
            ? 'interrupted: not a proof'
            : 'stopped';
  const claim =
    r.verdict === 'holds' && x.complete
      ? 'holds for every schedule'
      : r.verdict === 'unreachable'
        ? 'no schedule reaches it'
        : 'nothing found in any schedule';
  const over =
    x.timeAbstraction === 'hull'
      ? ' (time over-approximated by zone hulls)'
      : x.timeAbstraction === 'activity'
        ? ' (each activity in its own time: over-approximated)'
        : '';
  const larger =
    x.complete && x.spurious.length === 0 && (x.clients < x.maxBounds.clients || x.requests < x.maxBounds.requests)
      ? `; larger bounds (up to ${x.maxBounds.clients}×${x.maxBounds.requests}) not searched: the state budget ran out`
      : '';
  return `exhaustive (${bounds}): ${claim} up to depth ${x.depth}${over}: ${states}, ${why}${smaller}${larger}`;
}

export interface SearchHooks {
  /** Called between slices of the search with how far it got. */
  onProgress?(p: ExhaustiveProgress): void;
  /** Polled between slices: true stops the search (Ctrl-C); its result then says `interrupted`. */
  stopped?(): boolean;
}

/**
 * One exhaustive check, run in slices with a yield to the event loop between
 * them, so a caller can show progress and stop it (the result then says
 * `interrupted`: not a proof). A property that does not apply to the
 * topology is not searched: its result says `not applicable` and why.
 */
export async function searchAsync(
  topology: Topology,
  property: Property,
  options: Partial<ExhaustiveOptions>,
  hooks: SearchHooks = {},
): Promise<ExhaustiveCheckResult | CheckResult> {
  const bounds = exhaustiveBounds(topology, property, options);
  const skipped = notApplicableResult(topology, property, { ...bounds, maxSteps: 0, scheduleLength: 0, tail: false }, 0);
  if (skipped) return skipped;
  const check = new ExhaustiveCheck(topology, property, options);
  while (!check.run(100)) {
    hooks.onProgress?.(check.progress());
    await new Promise((resolve) => setImmediate(resolve));
    if (hooks.stopped?.()) check.interrupt();
  }
  const r = check.result();
  return r.exhaustive.stoppedBy === 'interrupted' ? { ...r, interrupted: {} } : r;
}

/** The summary of a finished search, for a log: verdict, how far, how long, peak memory. */
export function searchSummary(r: ExhaustiveCheckResult): string {
  return `${r.property}: ${r.verdict}; ${reachLine(r)}, ${r.exhaustive.seconds.toFixed(1)} s, peak ${mib(r.exhaustive.peakRssBytes)}`;
}
