import type { Occurrence } from '../kernel/occurrences.js';
import { DEFAULT_CHOICE, type Choice } from '../kernel/step.js';

/**
 * How a run goes on after its explicit schedule: seeded random choices.
 * Swarm testing: each run draws its own biases, how often it leaves the
 * default for each part of a choice (`next`, `delay`, `pick`), in quarters
 * from 0 (never: the obvious run) to 4 (always), which tiers take other
 * branches at all, and whether they take random branches or the next one in
 * rotation. One run shuffles the order of events and never waits; another
 * sends each request to a new worker of a fleet while the load balancer
 * keeps every flow on one instance. Violations that need many non-default
 * choices of one kind deep in a run get a fair chance, where uniform choices
 * would dilute them.
 *
 * The choices are a pure function of the tail and the run so far, so a
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
  /** Chance, in quarters, that a step with branches takes another than the first. */
  pick: number;
  /** Which tiers take other branches (bit `i`: the tier at index `i` of the pipeline); absent: every tier. */
  tiers?: number;
  /** Another branch is the next in rotation at its tier (a fresh worker, the next target), not a random one. */
  rotate?: boolean;
}

/** Quarters: a bias of 4 always leaves the default. */
export const BIAS_STEPS = 4;
/** A long wait: up to the next deadline, as `choiceArbitrary`'s longest delays. */
const LONG_DELAY = 400_000;

/** splitmix32-style mixing: a well-spread 32-bit value from a seed, a step index and a lane. */
function mix(seed: number, i: number, lane: number): number {
  let x = (seed ^ Math.imul(i + 1, 0x9e3779b9) ^ Math.imul(lane + 1, 0x85ebca6b)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97) >>> 0;
  return (x ^ (x >>> 15)) >>> 0;
}

const chance = (bias: number, r: number) => bias > 0 && r % BIAS_STEPS < bias;

/** Makes a tail's choices for one run, step by step (rotation counts the branch decisions of each tier). */
export class TailChooser {
  private readonly decisions = new Map<number, number>();
  constructor(private readonly tail: Tail) {}

  /** The choice at step index `i` among `enabled`; `tierOf` gives an occurrence's tier index. */
  choose(i: number, enabled: readonly Occurrence[], tierOf: (o: Occurrence) => number): Choice {
    const t = this.tail;
    const r = (lane: number) => mix(t.seed, i, lane);
    const next = chance(t.next, r(0)) ? 1 + (r(1) % 15) : 0;
    // Mostly a short wait (a message overtaking another), sometimes up to the next deadline (a timeout racing a request).
    const delay = chance(t.delay, r(2)) ? (r(3) % 4 === 0 ? 1 + (r(4) % LONG_DELAY) : 1 + (r(4) % 100)) : 0;
    let pick = 0;
    const o = enabled[next % enabled.length]!;
    if (o.branches > 1) {
      const tier = tierOf(o);
      const n = this.decisions.get(tier) ?? 0;
      this.decisions.set(tier, n + 1);
      const here = t.tiers === undefined || (t.tiers & (1 << (tier % 31))) !== 0;
      if (here && chance(t.pick, r(5))) pick = t.rotate ? n : 1 + (r(6) % 63);
    }
    return next === 0 && delay === 0 && pick === 0 ? DEFAULT_CHOICE : { next, delay, pick };
  }
}
