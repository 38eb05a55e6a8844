import fc from 'fast-check';
import { copyOf, tierOf } from '../../models/ids.js';
import { boundariesOf, isHealthOrigin, isPerInstanceTier } from '../../models/topologies/structure.js';
import type { Topology } from '../../models/topologies/topology.js';
import { DEFAULT_CHECK_OPTIONS } from '../explore/check.js';
import type { PropertyBounds } from '../explore/property.js';
import { runScenario } from '../explore/run.js';
import { scenarioArbitrary, type Scenario } from '../explore/scenarios.js';
import { boundaryOfSend, type TraceEvent } from '../kernel/events.js';

/** The instance a request's hop belongs to: the copy number of its per-instance end, or 0 for shared tiers. */
function instanceOf(topology: Topology, e: TraceEvent): number {
  for (const at of [e.at, e.peer!]) if (isPerInstanceTier(topology, tierOf(at))) return copyOf(at);
  return 0;
}

const TEARDOWN = new Set(['close', 'closed', 'reset', 'aborted', 'expire']);

/**
 * Counts, from a trace, the connections each client connection holds open at
 * each boundary on each instance (instance 0: a boundary between shared
 * tiers): a connection counts for a client connection from the first of its
 * requests it carries until it is closed, reset or dropped at either end.
 * Keeps the largest count seen. Health-check traffic is left out.
 */
export class FlowCounter {
  /** `${boundary}|${instance}|${origin}` -> the open connections (each with the first of its requests it carried). */
  readonly open = new Map<string, Map<string, string>>();
  /** conn -> the keys it counts under. */
  private readonly keysOf = new Map<string, string[]>();
  /** `${boundary}|${instance}` -> the largest count of any client connection. */
  private readonly most = new Map<string, number>();
  constructor(readonly topology: Topology) {}
  /** Records `e`; returns the count it raised, if any. */
  observe(e: TraceEvent): { boundary: string; instance: number; origin: string; conns: Map<string, string> } | null {
    if (e.conn && TEARDOWN.has(e.type)) {
      for (const key of this.keysOf.get(e.conn) ?? []) this.open.get(key)?.delete(e.conn);
      this.keysOf.delete(e.conn);
      return null;
    }
    if (e.type !== 'send' || e.msg !== 'request' || !e.origin || !e.req || !e.conn || !e.peer) return null;
    if (isHealthOrigin(this.topology, e.origin)) return null;
    const boundary = boundaryOfSend(e);
    const instance = instanceOf(this.topology, e);
    const key = `${boundary}|${instance}|${e.origin}`;
    let used = this.open.get(key);
    if (!used) this.open.set(key, (used = new Map()));
    if (used.has(e.conn)) return null;
    used.set(e.conn, e.req);
    this.keysOf.set(e.conn, [...(this.keysOf.get(e.conn) ?? []), key]);
    const at = `${boundary}|${instance}`;
    this.most.set(at, Math.max(this.most.get(at) ?? 0, used.size));
    return { boundary, instance, origin: e.origin, conns: used };
  }
  /** The largest count per boundary and instance: `{ 'nlb>connQueue': { '1': 16, '2': 0 } }` (instance '*' for shared tiers). */
  maxima(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [at, n] of this.most) {
      const [boundary, instance] = at.split('|') as [string, string];
      (out[boundary] ??= {})[instance === '0' ? '*' : instance] = n;
    }
    return out;
  }
}

/**
 * For each boundary and instance, the most connections one client connection
 * produced and held open at once in any of `runs` random schedules within
 * `bounds` (same seed discipline as `check`), after the deepest default run
 * (one client connection, every request).
 */
export function flowReport(
  topology: Topology,
  bounds: PropertyBounds,
  options: { runs: number; seed: number; clients?: number; requests?: number },
): Record<string, Record<string, number>> {
  const explored = {
    clients: options.clients ?? bounds.clients ?? topology.bounds.clients,
    requests: options.requests ?? bounds.requests ?? topology.bounds.requests,
    scheduleLength: DEFAULT_CHECK_OPTIONS.scheduleLength,
    maxDelay: DEFAULT_CHECK_OPTIONS.maxDelay,
  };
  const maxSteps = Math.max(DEFAULT_CHECK_OPTIONS.maxSteps, bounds.maxSteps ?? 0);
  const out: Record<string, Record<string, number>> = {};
  const merge = (m: Record<string, Record<string, number>>) => {
    for (const [boundary, row] of Object.entries(m))
      for (const [k, n] of Object.entries(row)) (out[boundary] ??= {})[k] = Math.max(out[boundary]?.[k] ?? 0, n);
  };
  const scenarios: Scenario[] = [
    { clients: 1, requests: explored.requests, schedule: [] },
    ...fc.sample(scenarioArbitrary(explored), { seed: options.seed, numRuns: options.runs }),
  ];
  for (const sc of scenarios) {
    const counter = new FlowCounter(topology);
    const run = runScenario(topology, sc, [], { maxSteps, stopAtViolation: false });
    for (const e of run.events) counter.observe(e);
    merge(counter.maxima());
  }
  // Every boundary appears, in pipeline order, with every instance (0 where nothing crossed).
  const ordered: Record<string, Record<string, number>> = {};
  for (const boundary of boundariesOf(topology).slice(1)) {
    const row = out[boundary] ?? {};
    const perInstance = boundary.split('>').some((t) => isPerInstanceTier(topology, t));
    ordered[boundary] = perInstance
      ? Object.fromEntries(Array.from({ length: topology.instances }, (_, i) => [String(i + 1), row[String(i + 1)] ?? 0]))
      : { '*': row['*'] ?? 0 };
  }
  return ordered;
}
