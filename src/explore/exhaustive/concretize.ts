import type { SystemModel } from '../../../models/system.js';
import { enabledOccurrences, horizonOf, type Occurrence } from '../../kernel/occurrences.js';
import { initialState } from '../../kernel/state.js';
import { step, type Choice } from '../../kernel/step.js';
import { expand, initialSymState, type StepConstraint, type Successor, type Transition } from './symbolic.js';

/**
 * Turns a symbolic path into a concrete schedule that `runScenario` (and so
 * `connmodel replay`) re-executes exactly.
 *
 * The path's zones say which times are possible; to pick one, the path is
 * re-run symbolically while logging every constraint on the times of its
 * steps (t[a] - t[b] <= c: guards, deadlines, timers, urgency). The earliest
 * solution of that system of difference constraints (Bellman-Ford) is
 * integral, since every constant is. Then the kernel runs in concrete time,
 * and each step's Choice is the index of the same occurrence among those
 * enabled then, its delay (t - earliest) and its branch.
 */
export function concretize(model: SystemModel, path: readonly Transition[]): Choice[] {
  let sym = initialSymState(model);
  const log: StepConstraint[] = [];
  const taken: Successor[] = [];
  path.forEach((trans, k) => {
    let next: Successor | null = null;
    expand(model, sym, { pruneBranches: false, only: { trans, at: k + 1, log } }, (s) => (next = s));
    if (!next) throw new Error(`exhaustive: step ${k + 1} of the counterexample path cannot be re-taken (${JSON.stringify(trans)})`);
    taken.push(next);
    sym = (next as Successor).sym;
  });
  const times = earliestTimes(path.length, log);
  const choices: Choice[] = [];
  let state = initialState(model);
  taken.forEach((succ, k) => {
    const enabled = enabledOccurrences(model, state);
    const index = enabled.findIndex((o) => sameOccurrence(o, succ.occurrence));
    const t = times[k + 1]!;
    const o = enabled[index];
    if (!o) throw new Error(`exhaustive: step ${k + 1}: the occurrence is not enabled at t=${t} in the concrete run`);
    const horizon = Math.min(horizonOf(enabled), o.latest);
    if (t < o.earliest || t > horizon)
      throw new Error(`exhaustive: step ${k + 1}: t=${t} is outside [${o.earliest}, ${horizon}] in the concrete run`);
    const choice: Choice = { next: index, delay: t - o.earliest, pick: succ.trans.pick };
    choices.push(choice);
    state = step(model, state, choice, enabled)!.state;
  });
  return choices;
}

function sameOccurrence(a: Occurrence, b: Occurrence): boolean {
  if (a.kind !== b.kind || a.at !== b.at) return false;
  if (a.kind === 'deliver') return b.kind === 'deliver' && a.msg.seq === b.msg.seq;
  if (a.kind === 'timer') return b.kind === 'timer' && a.key === b.key;
  return true;
}

/** The least non-negative solution of t[a] - t[b] <= c over t[0..n], with t[0] = 0. */
export function earliestTimes(n: number, constraints: readonly StepConstraint[]): number[] {
  // With y = -t, each constraint is y[b] <= y[a] + c: an edge a -> b of weight c. From a source at 0
  // (y <= 0, i.e. t >= 0), shortest distances give the largest y, i.e. the smallest t.
  const y = new Array<number>(n + 1).fill(0);
  for (let round = 0; round <= n + 1; round++) {
    let changed = false;
    for (const { a, b, c } of constraints) {
      if (y[a]! + c < y[b]!) {
        y[b] = y[a]! + c;
        changed = true;
      }
    }
    if (!changed) return y.map((v) => (v === 0 ? 0 : -v));
  }
  throw new Error('exhaustive: the timing constraints of the counterexample path are infeasible (a negative cycle)');
}
