import fc from 'fast-check';
import { DEFAULT_CHOICE, type Choice } from '../kernel/step.js';
import { BIAS_STEPS, tailChoice, type Tail } from './tail.js';

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

/** The choice a scenario makes at step index `i` (0-based). */
export function choiceAt(scenario: Scenario, i: number): Choice {
  return scenario.schedule[i] ?? (scenario.tail ? tailChoice(scenario.tail, i) : DEFAULT_CHOICE);
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
  const bias = fc.nat(BIAS_STEPS);
  return fc.record({ seed: fc.nat(), next: bias, delay: bias, pick: bias });
}

export function scenarioArbitrary(b: ScenarioBounds): fc.Arbitrary<Scenario> {
  const parts = {
    clients: fc.integer({ min: b.minClients ?? 1, max: b.clients }),
    requests: fc.integer({ min: b.minRequests ?? 1, max: b.requests }),
    schedule: fc.array(choiceArbitrary(b.maxDelay), { maxLength: b.scheduleLength }),
  };
  // The tail is optional: shrinking drops it first, back to the obvious run after the schedule.
  return b.tail === false ? fc.record(parts) : fc.record({ ...parts, tail: tailArbitrary() }, { requiredKeys: ['clients', 'requests', 'schedule'] });
}
