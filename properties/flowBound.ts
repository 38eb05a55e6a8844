import fc from 'fast-check';
import type { Topology } from '../models/topologies/topology.js';
import { DEFAULT_CHECK_OPTIONS } from '../src/explore/check.js';
import { runScenario, type Scenario } from '../src/explore/run.js';
import { scenarioArbitrary } from '../src/explore/scenarios.js';
import type { TraceEvent } from '../src/trace/events.js';
import { boundariesOf, boundaryOfSend } from './oneToOne.js';
import { violation, type Monitor, type Property } from './property.js';
import { connectionLimit, copyOf, isHealthOrigin, isPerInstanceTier, queueFillingBounds, tierName } from './traffic.js';

/**
 * The bound flow-bound checks against: `topology.flowBound`, else the
 * smallest connection limit of its connection queue (one client connection
 * must not be able to fill an instance's queue on its own), else none.
 */
export function flowBoundOf(topology: Topology): { bound: number; why: string } | null {
  if (topology.flowBound !== undefined) return { bound: topology.flowBound, why: 'the topology’s flowBound' };
  const limit = connectionLimit(topology);
  return limit === null ? null : { bound: limit, why: 'the connection queue’s limit' };
}

/** Boundaries with one side on an instance: their connections are counted per instance. */
function instanceBoundaries(topology: Topology): string[] {
  return boundariesOf(topology).filter((b) => b.split('>').some((t) => isPerInstanceTier(topology, t)));
}

/** The instance a request's hop belongs to: the copy number of its per-instance end, or 0 for shared tiers. */
function instanceOf(topology: Topology, e: TraceEvent): number {
  for (const at of [e.at, e.peer!]) if (isPerInstanceTier(topology, tierName(at))) return copyOf(at) ?? 0;
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
 * Per instance, the largest number of connections one client connection
 * produced at each boundary and held open at once (a connection counts from
 * the first of its requests it carried until it closes). It holds when no count on an
 * instance exceeds the bound (`flowBoundOf`): by default the connection
 * queue's limit, i.e. "one client connection cannot fill an instance's queue
 * by itself". Without a connection queue and without `flowBound` nothing is
 * bounded and it holds; the counts are still reported (`flowReport`).
 * Facets: the boundaries with an instance side. Health checks are left out.
 */
export const flowBound: Property = {
  name: 'flow-bound',
  kind: 'always',
  description: 'at every boundary on every instance, one client connection produces at most the bound of connections (default: the queue limit)',
  facetKind: 'boundary',
  facets: instanceBoundaries,
  bounds: queueFillingBounds,
  monitor(topology, facet): Monitor {
    const b = flowBoundOf(topology);
    const watched = new Set(facet === null ? instanceBoundaries(topology) : [facet]);
    const counter = new FlowCounter(topology);
    return {
      observe(e) {
        const c = counter.observe(e);
        if (!c || b === null || c.instance === 0 || !watched.has(c.boundary) || c.conns.size <= b.bound) return null;
        const list = [...c.conns].map(([conn, req]) => `${conn} (${req})`).join(', ');
        return violation(
          'flow-bound',
          c.boundary,
          e,
          `client connection ${c.origin} holds ${c.conns.size} connections open at ${c.boundary} on instance ${c.instance}, above the bound of ${b.bound} (${b.why}): ${list}`,
        );
      },
      end: () => null,
    };
  },
};

/**
 * The numbers flow-bound is about, over many runs: for each boundary and
 * instance, the most connections one client connection produced in any of
 * `runs` random schedules (same bounds and seed discipline as `check`).
 */
export function flowReport(
  topology: Topology,
  options: { runs: number; seed: number; clients?: number; requests?: number },
): Record<string, Record<string, number>> {
  const b = queueFillingBounds(topology);
  const bounds = {
    clients: options.clients ?? b.clients!,
    requests: options.requests ?? b.requests!,
    scheduleLength: DEFAULT_CHECK_OPTIONS.scheduleLength,
    maxDelay: DEFAULT_CHECK_OPTIONS.maxDelay,
  };
  const maxSteps = Math.max(DEFAULT_CHECK_OPTIONS.maxSteps, b.maxSteps ?? 0);
  const out: Record<string, Record<string, number>> = {};
  const merge = (m: Record<string, Record<string, number>>) => {
    for (const [boundary, row] of Object.entries(m))
      for (const [k, n] of Object.entries(row)) (out[boundary] ??= {})[k] = Math.max(out[boundary]?.[k] ?? 0, n);
  };
  // The default schedule of the deepest scenario first: one client connection, every request.
  const scenarios: Scenario[] = [
    { clients: 1, requests: bounds.requests, schedule: [] },
    ...fc.sample(scenarioArbitrary(bounds), { seed: options.seed, numRuns: options.runs }),
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
