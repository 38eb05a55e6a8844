import type { SystemModel } from '../../models/system.js';
import { DEFAULT_CHOICE, withoutDefaultTail, type Choice } from '../kernel/step.js';
import { causalCore } from './causal.js';
import type { Counterexample } from './counterexample.js';
import type { Scenario } from './scenarios.js';

/**
 * Making a counterexample as small as it can be read: fewest client
 * connections, then fewest requests, then fewest steps, then the fewest
 * choices that leave the obvious run. `simplicity` is that order as a key;
 * `simplifySchedule` is a greedy pass over a counterexample's written-out
 * choices (`materialize`) that keeps every change leaving a smaller key.
 */

const isDefault = (c: Choice) => c.next === 0 && c.delay === 0 && c.pick === 0;

/** The order counterexamples are compared in, as a key (smaller is simpler). */
export function simplicity(cx: Pick<Counterexample, 'clientConnections' | 'requests' | 'steps' | 'scenario'>): number[] {
  const s = cx.scenario.schedule;
  const fields = (c: Choice) => (c.next > 0 ? 1 : 0) + (c.delay > 0 ? 1 : 0) + (c.pick > 0 ? 1 : 0);
  return [
    cx.clientConnections,
    cx.requests,
    cx.steps,
    s.filter((c) => !isDefault(c)).length,
    s.reduce((n, c) => n + fields(c), 0),
    s.reduce((n, c) => n + c.next + c.pick, 0),
    s.reduce((n, c) => n + c.delay, 0),
    s.length,
  ];
}

export function compareSimplicity(a: Parameters<typeof simplicity>[0], b: Parameters<typeof simplicity>[0]): number {
  const x = simplicity(a);
  const y = simplicity(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

/** Simpler choices than `c`: each part at 0 (when more than one part leaves the default), then smaller values. */
function simpler(c: Choice): Choice[] {
  const out: Choice[] = [];
  const parts = (c.next > 0 ? 1 : 0) + (c.delay > 0 ? 1 : 0) + (c.pick > 0 ? 1 : 0);
  if (parts > 1) {
    if (c.pick > 0) out.push({ ...c, pick: 0 });
    if (c.next > 0) out.push({ ...c, next: 0 });
    if (c.delay > 0) out.push({ ...c, delay: 0 });
  }
  for (let p = 1; p < c.pick && p < 6; p++) out.push({ ...c, pick: p });
  for (let n = 1; n < c.next && n < 6; n++) out.push({ ...c, next: n });
  if (c.delay > 1) out.push({ ...c, delay: Math.floor(c.delay / 2) });
  return out;
}

/**
 * Greedy simplification of a counterexample's explicit schedule: the
 * obvious run, the run's causal core (`causal.ts`), and for each choice that
 * leaves the default simpler ones (and dropping it); a change is kept when
 * `attempt` still gives a counterexample that is simpler by `simplicity`. At
 * most `budget` runs. `attempt` re-runs a scenario against the same facet and
 * returns its counterexample (written out), or null; `model` composes the
 * system a scenario runs on.
 */
export function simplifySchedule(
  cx: Counterexample,
  attempt: (sc: Scenario) => Counterexample | null,
  model: (sc: Scenario) => SystemModel,
  budget = 200,
): Counterexample {
  let best = cx;
  let left = budget;
  const tryOne = (schedule: Choice[]): boolean => {
    if (left <= 0) return false;
    left -= 1;
    const c = attempt({ clients: best.scenario.clients, requests: best.scenario.requests, schedule: withoutDefaultTail(schedule) });
    if (!c || compareSimplicity(c, best) >= 0) return false;
    best = { ...c, simplifications: best.simplifications + 1 };
    return true;
  };
  const each = (alternatives: (c: Choice) => Choice[][]) => {
    let improved = false;
    for (let i = 0; i < best.scenario.schedule.length && left > 0; i++) {
      const s = best.scenario.schedule;
      if (isDefault(s[i]!)) continue;
      improved = alternatives(s[i]!).some((alt) => tryOne([...s.slice(0, i), ...alt, ...s.slice(i + 1)])) || improved;
    }
    return improved;
  };
  // Fewer steps: the causal core of the run (only what the violation depends on, in order).
  const core = () => {
    const choices = left > 0 ? causalCore(model(best.scenario), best.scenario.schedule, best.steps) : null;
    if (choices) tryOne(choices);
  };
  // The obvious run first (often it is the counterexample), then the core; then whole choices (back to
  // the default, or dropped) while that helps; then parts and values; then the core of what is left.
  if (best.scenario.schedule.length > 0) tryOne([]);
  core();
  for (let round = 0; round < 3 && left > 0 && each(() => [[DEFAULT_CHOICE], []]); round++);
  each((c) => simpler(c).map((alt) => [alt]));
  core();
  return best;
}
