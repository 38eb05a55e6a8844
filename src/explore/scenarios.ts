import fc from 'fast-check';
import type { Choice } from '../kernel/step.js';

/**
 * What a run is made of: how many client connections, how many requests each
 * sends, and the schedule. After the schedule is used up the run continues
 * with the default choice (earliest occurrence, no delay, branch 0) until
 * nothing is left to happen or the step bound is reached.
 */
export interface Scenario {
  clients: number;
  requests: number;
  schedule: Choice[];
}

export interface ScenarioBounds {
  /** Most client connections in a run. */
  clients: number;
  /** Most requests each client sends. */
  requests: number;
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

export function scenarioArbitrary(b: ScenarioBounds): fc.Arbitrary<Scenario> {
  return fc.record({
    clients: fc.integer({ min: 1, max: b.clients }),
    requests: fc.integer({ min: 1, max: b.requests }),
    schedule: fc.array(choiceArbitrary(b.maxDelay), { maxLength: b.scheduleLength }),
  });
}
