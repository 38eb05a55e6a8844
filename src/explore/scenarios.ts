import fc from 'fast-check';
import type { Choice } from '../kernel/step.js';
import { BIAS_STEPS, type Tail } from './tail.js';

/**
 * What a run is made of: how many client connections, how many requests each
 * sends, and the schedule. After the schedule is used up the run continues
 * with its `tail`'s seeded random choices, or without one with the default
 * choice (earliest occurrence, no delay, branch 0), until nothing is left to
 * happen or the step bound is reached.
 */
export interface Scenario {
  clients: number;
  requests: number;
  schedule: Choice[];
  /** How the run goes on after `schedule` (absent: default choices). */
  tail?: Tail;
}

export interface ScenarioBounds {
  /** Most client connections in a run. */
  clients: number;
  /** Most requests each client sends. */
  requests: number;
  /** Fewest client connections and requests (default 1): a stage of the bounds ladder fixes both. */
  minClients?: number;
  minRequests?: number;
  /** Whether runs go on with seeded random choices after their schedule (default true). */
  tail?: boolean;
  /** Longest explicit schedule; the run continues with default choices after it. */
  scheduleLength: number;
  /** Longest delay a choice may add (ms): long enough to outlast every idle timeout. */
  maxDelay: number;
}

/**
 * One scheduling choice. Mostly "now", sometimes a little later, rarely a long
 * wait (long enough for idle timeouts to race with new requests). Every field
 * shrinks towards 0, the default choice, so shrunk schedules read as "the
 * obvious run, except here".
 */
export function choiceArbitrary(maxDelay: number): fc.Arbitrary<Choice> {
  return fc.record({
    next: fc.nat(15),
    delay: fc.oneof(
      { withCrossShrink: true },
      { arbitrary: fc.constant(0), weight: 5 },
      { arbitrary: fc.nat(100), weight: 3 },
      { arbitrary: fc.nat(maxDelay), weight: 1 },
    ),
    pick: fc.nat(63),
  });
}

/** A tail's seed and biases; every field shrinks towards 0, a tail that never leaves the default. */
export function tailArbitrary(): fc.Arbitrary<Tail> {
  // Mostly all or nothing (swarm testing: a feature on or off), sometimes in between.
  const bias = fc.oneof(fc.constant(0), fc.constant(BIAS_STEPS), fc.integer({ min: 1, max: BIAS_STEPS - 1 }));
  return fc.record({ seed: fc.nat(), next: bias, delay: bias, pick: bias, tiers: fc.nat(0xff), rotate: fc.boolean() });
}

/**
 * Size-aware: half the runs send the most requests the bounds allow. A
 * violation reachable with fewer requests is reachable with more (a client
 * need not hurry), so the largest size finds the most; the bounds ladder then
 * looks for the fewest (`check`).
 */
function requestsArbitrary(min: number, max: number): fc.Arbitrary<number> {
  return min >= max ? fc.constant(max) : fc.oneof(fc.constant(max), fc.integer({ min, max }));
}

export function scenarioArbitrary(b: ScenarioBounds): fc.Arbitrary<Scenario> {
  const parts = {
    clients: fc.integer({ min: b.minClients ?? 1, max: b.clients }),
    requests: requestsArbitrary(b.minRequests ?? 1, b.requests),
    schedule: fc.array(choiceArbitrary(b.maxDelay), { maxLength: b.scheduleLength }),
  };
  // The tail is optional: shrinking drops it first, back to the obvious run after the schedule.
  return b.tail === false ? fc.record(parts) : fc.record({ ...parts, tail: tailArbitrary() }, { requiredKeys: ['clients', 'requests', 'schedule'] });
}
