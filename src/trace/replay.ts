import { prefixUpTo, runScenario } from '../explore/run.js';
import { stableStringify } from '../kernel/hash.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Property } from '../explore/property.js';
import type { TraceEvent } from '../kernel/events.js';
import type { TraceFile } from './file.js';

export interface ReplayResult {
  identical: boolean;
  /** Events the re-execution produced, up to the trace's last step. */
  events: TraceEvent[];
  /** The first index at which the re-execution differs, with both versions. */
  firstDifference?: { index: number; saved: TraceEvent | undefined; replayed: TraceEvent | undefined };
  /** Whether the saved violation happened again (null when the trace records none). */
  violationReproduced: boolean | null;
  topologyChanged: boolean;
}

/**
 * Re-executes a saved trace's schedule on the topology it names (as it is now)
 * and compares event by event. `current` is the topology by that name today;
 * when it differs from the one saved, the result says so. `property` is the
 * one the trace names (its monitor checks that the saved violation happens
 * again); null when the trace records none.
 */
export function replayTrace(trace: TraceFile, current: Topology, property: Property | null): ReplayResult {
  if ((property?.name ?? null) !== trace.property)
    throw new Error(`replayTrace: the trace is of property ${trace.property ?? 'none'}, but ${property?.name ?? 'none'} was given`);
  const topologyChanged = stableStringify(current) !== stableStringify(trace.topology);
  const monitors = property ? [property.monitor(current, trace.facet)] : [];
  const first = trace.start?.steps ?? 0;
  const run = runScenario(current, trace.scenario, monitors, {
    maxSteps: Math.min(trace.maxSteps, trace.stopAtStep) - first,
    stopAtViolation: false,
    ...(trace.start ? { start: trace.start } : {}),
  });
  const events = prefixUpTo(run.events, trace.stopAtStep);
  let firstDifference: ReplayResult['firstDifference'];
  const n = Math.max(events.length, trace.events.length);
  for (let i = 0; i < n; i++) {
    if (JSON.stringify(events[i]) !== JSON.stringify(trace.events[i])) {
      firstDifference = { index: i, saved: trace.events[i], replayed: events[i] };
      break;
    }
  }
  const v = run.violations[0] ?? null;
  const violationReproduced = trace.violation === null ? null : v !== null && v.step === trace.violation.step && v.message === trace.violation.message;
  return {
    identical: firstDifference === undefined && violationReproduced !== false,
    events,
    ...(firstDifference ? { firstDifference } : {}),
    violationReproduced,
    topologyChanged,
  };
}
