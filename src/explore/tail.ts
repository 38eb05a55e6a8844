import { DEFAULT_CHOICE, type Choice } from '../kernel/step.js';

/**
 * How a run goes on after its explicit schedule: seeded random choices.
 * Swarm testing: each run draws its own biases, how often it leaves the
 * default for each part of a choice (`next`, `delay`, `pick`), in quarters
 * from 0 (never: the obvious run) to 4 (always). One run may shuffle the
 * order of events and never wait, another may only send requests to other
 * workers: violations that need many non-default choices of one kind deep in
 * a run get a fair chance, where uniform choices would dilute them.
 *
 * The choice at step `i` is a pure function of the tail and `i`, so a
 * scenario with a tail replays byte for byte. Changing anything in this file
 * changes what a saved tail means: counterexamples are saved with their
 * choices written out (`materialize`), never as a tail.
 */
export interface Tail {
  seed: number;
  /** Chance, in quarters, that a step takes another occurrence than the earliest. */
  next: number;
  /** Chance, in quarters, that a step waits before its occurrence. */
  delay: number;
  /** Chance, in quarters, that a step takes another branch than the first. */
  pick: number;
}

/** Quarters: a bias of 4 always leaves the default. */
export const BIAS_STEPS = 4;
/** A long wait: up to the next deadline, as `choiceArbitrary`'s longest delays. */
const LONG_DELAY = 400_000;

/** splitmix32-style mixing: a well-spread 32-bit value from a seed and a step index. */
function mix(seed: number, i: number, lane: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b9) ^ Math.imul(lane + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}

const chance = (bias: number, r: number) => bias > 0 && r % BIAS_STEPS < bias;

/** The choice a tail makes at step index `i` (0-based). */
export function tailChoice(tail: Tail, i: number): Choice {
  const r = (lane: number) => mix(tail.seed, i, lane);
  const next = chance(tail.next, r(0)) ? 1 + (r(1) % 15) : 0;
  // Mostly a short wait (a message overtaking another), sometimes up to the next deadline (a timeout racing a request).
  const delay = chance(tail.delay, r(2)) ? (r(3) % 4 === 0 ? 1 + (r(4) % LONG_DELAY) : 1 + (r(4) % 100)) : 0;
  const pick = chance(tail.pick, r(5)) ? 1 + (r(6) % 63) : 0;
  return next === 0 && delay === 0 && pick === 0 ? DEFAULT_CHOICE : { next, delay, pick };
}
