import type { Topology } from '../../models/topologies/topology.js';
import type { Counterexample } from './counterexample.js';
import { compareSimplicity } from './minimize.js';
import type { PropertyBounds } from './property.js';

/**
 * The bounds of a check: which it explores (and a note when the caller's are
 * below what the property asks for), and, once something is found, the
 * smallest bounds that still find it.
 */

/** The bounds a check explored within, as reports state them. */
export interface ExploredBounds {
  /** Most client connections and requests per client connection. */
  clients: number;
  requests: number;
  maxSteps: number;
  /** Longest explicit schedule; runs go on after it with seeded random choices when `tail`. */
  scheduleLength: number;
  tail: boolean;
}

/** The bounds a check explores: the caller's, else the property's own, else the topology's. */
export function boundsFor(
  topology: Topology,
  pb: PropertyBounds,
  given: { clients?: number; requests?: number; maxSteps: number; scheduleLength: number; tail: boolean },
): { bounds: ExploredBounds; note?: string } {
  const bounds: ExploredBounds = {
    clients: given.clients ?? pb.clients ?? topology.bounds.clients,
    requests: given.requests ?? pb.requests ?? topology.bounds.requests,
    // Step and schedule bounds only grow.
    maxSteps: Math.max(given.maxSteps, pb.maxSteps ?? 0),
    scheduleLength: Math.max(given.scheduleLength, pb.scheduleLength ?? 0),
    tail: given.tail,
  };
  const short = [
    ...(pb.clients !== undefined && bounds.clients < pb.clients ? [`${pb.clients} client connections`] : []),
    ...(pb.requests !== undefined && bounds.requests < pb.requests ? [`${pb.requests} requests per client connection`] : []),
  ];
  if (short.length === 0) return { bounds };
  return {
    bounds,
    note: `explored ${bounds.clients} × ${bounds.requests}, below the ${short.join(' and ')} this property asks for${pb.why ? ` (${pb.why})` : ''}: a violation that needs more is out of reach`,
  };
}

/**
 * Smaller bounds first (as exhaustive search's ladder): the fewest client
 * connections that find something at the most requests, then at those the
 * fewest requests. A violation found with fewer requests is also reachable
 * with more (a client need not hurry), so finding is monotone in the bound,
 * and a bound that finds nothing ends the search below it. `stage(c, r)`
 * explores exactly `c` client connections with `r` requests each and
 * returns what it finds, or null; the simplest find is returned.
 */
export function smallestBounds(found: Counterexample, maxRequests: number, stage: (clients: number, requests: number) => Counterexample | null): Counterexample {
  const steps = smallestBoundsSteps(found, maxRequests);
  let next = steps.next();
  while (!next.done) next = steps.next(stage(...next.value));
  return next.value;
}

/**
 * `smallestBounds` as a generator, for a caller whose stages are
 * asynchronous: it yields each `[clients, requests]` to explore and is given
 * back what that stage found (or null); it returns the simplest find.
 */
export function* smallestBoundsSteps(found: Counterexample, maxRequests: number): Generator<[number, number], Counterexample, Counterexample | null> {
  let best = found;
  const take = (cx: Counterexample) => {
    if (compareSimplicity(cx, best) < 0) best = { ...cx, simplifications: best.simplifications + 1 };
  };
  const { clients: c0, requests: r0 } = found.scenario;
  // A bound known to find: with one client, the requests the run found actually sent (it may not have sent them all).
  const known = (k: number, r: number, cx: Counterexample) => (k === 1 ? Math.min(r, cx.requests) : r);
  let c = c0;
  let hi = known(c0, r0, found);
  for (let k = 1; k < c0; k++) {
    const cx = yield [k, maxRequests];
    if (cx) {
      take(cx);
      [c, hi] = [k, known(k, maxRequests, cx)];
      break;
    }
  }
  // The run found often needs every request it sent (a queue fills only so fast): one fewer settles that;
  // otherwise bisect below what the smaller run used.
  if (hi > 1) {
    const cx = yield [c, hi - 1];
    if (!cx) return best;
    take(cx);
    hi = known(c, hi - 1, cx);
  }
  let lo = 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const cx = yield [c, mid];
    if (!cx) lo = mid + 1;
    else {
      take(cx);
      hi = Math.max(lo, known(c, mid, cx));
    }
  }
  return best;
}
