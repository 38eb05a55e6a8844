import type { SimulationScenario } from '../../models/scenarios/scenario.js';
import type { Happening } from './items.js';

/** A throttle eased over a while changes in a step every this many ms (an operator's steps, not a continuous ramp). */
export const RAMP_STEP = 10_000;

/**
 * The scenario's timed events as they happen, in time order: each event's
 * start, the end of one with a duration (a slowdown, an unhealthy spell),
 * and a throttle eased `over` a while as equal steps every RAMP_STEP ms from
 * the rate in force before (at once when there was none, or when it is
 * switched off). Only happenings at or before `duration` are kept.
 */
export function happenings(scenario: SimulationScenario, duration: number): { t: number; what: Happening }[] {
  const out: { t: number; what: Happening }[] = [];
  const rateBefore = new Map<string, number | null>([[scenario.throttle.tier, scenario.throttle.rate]]);
  for (const e of [...scenario.events].sort((a, b) => a.at - b.at)) {
    if (e.kind === 'throttle') {
      const from = rateBefore.get(e.tier) ?? null;
      rateBefore.set(e.tier, e.rate);
      if (e.over <= 0 || from === null || e.rate === null) {
        out.push({ t: e.at, what: { kind: 'throttle', tier: e.tier, rate: e.rate, burst: e.burst } });
        continue;
      }
      const steps = Math.max(1, Math.ceil(e.over / RAMP_STEP));
      for (let k = 1; k <= steps; k++)
        out.push({ t: e.at + Math.round((e.over * k) / steps), what: { kind: 'throttle', tier: e.tier, rate: Math.round(from + ((e.rate - from) * k) / steps), burst: e.burst } });
      continue;
    }
    out.push({ t: e.at, what: { kind: 'start', event: e } });
    if (e.kind === 'databaseSlowdown' || e.kind === 'unhealthy') out.push({ t: e.at + e.for, what: { kind: 'end', event: e } });
  }
  return out.filter((h) => h.t <= duration).sort((a, b) => a.t - b.t);
}

/**
 * Happenings that change a machine from outside (a restart, a replacement, a
 * reload, a control-plane event): `check`'s kernel has no occurrence for
 * them, so a trace window may not contain one. A slowdown only changes the
 * simulation's draws, so it may.
 */
export function outsideTheKernel(scenario: SimulationScenario, duration: number): { at: number; kind: string }[] {
  return happenings(scenario, duration)
    .filter((h) => h.what.kind === 'throttle' || h.what.event.kind !== 'databaseSlowdown')
    .map((h) => ({ at: h.t, kind: h.what.kind === 'throttle' ? 'throttle change' : h.what.kind === 'end' ? `end of ${h.what.event.kind}` : h.what.event.kind }));
}
