import { tierOf } from '../../models/ids.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { TraceEvent } from '../kernel/events.js';
import { withoutDefaultTail, type Choice } from '../kernel/step.js';
import type { Property, Violation } from './property.js';
import { prefixUpTo, runScenario } from './run.js';
import type { Scenario } from './scenarios.js';

/** A failing run, cut at its violation (or, for a `sometimes` property, a witness). */
export interface Counterexample {
  facet: string | null;
  message: string;
  /** Client connections opened in the counterexample. */
  clientConnections: number;
  /** Requests sent by clients in the counterexample. */
  requests: number;
  /** Kernel steps up to and including the violating one. */
  steps: number;
  /** What replays it: every choice written out (no tail), so the trace file alone reproduces it. */
  scenario: Scenario;
  events: TraceEvent[];
  violation: Violation;
  /** How many times the first find was replaced by a simpler one (smaller bounds, then simpler choices). */
  simplifications: number;
}

/**
 * A scenario whose choices, up to `steps`, are written out as they took
 * effect (`RunOutcome.choices`): no tail, trailing defaults dropped. It runs
 * exactly as the original up to `steps`, so its trace is the same.
 */
export function materialize(scenario: Scenario, choices: readonly Choice[], steps: number): Scenario {
  return { clients: scenario.clients, requests: scenario.requests, schedule: withoutDefaultTail(choices.slice(0, steps)) };
}

/** Client connections opened and requests sent by clients in a trace. */
export function countsOf(topology: Topology, events: readonly TraceEvent[]): { clientConnections: number; requests: number } {
  const client = topology.tiers[0]!.name;
  const conns = new Set<string>();
  const reqs = new Set<string>();
  for (const e of events) {
    if (tierOf(e.at) !== client) continue;
    if (e.type === 'connect' && e.conn) conns.add(e.conn);
    if (e.type === 'send' && e.msg === 'request' && e.req) reqs.add(e.req);
  }
  return { clientConnections: conns.size, requests: reqs.size };
}

/**
 * Re-run a scenario against one facet and cut the trace at its violation.
 * The counterexample's scenario is the run's choices written out up to the
 * violation, so it replays without the scenario's tail.
 */
export function counterexampleOf(
  topology: Topology,
  property: Property,
  facet: string | null,
  scenario: Scenario,
  maxSteps: number,
): Counterexample | null {
  const run = runScenario(topology, scenario, [property.monitor(topology, facet)], { maxSteps, stopAtViolation: true });
  const v = run.violations[0];
  if (!v) return null;
  const events = prefixUpTo(run.events, v.step);
  return {
    facet,
    message: v.message,
    ...countsOf(topology, events),
    steps: v.step,
    scenario: materialize(scenario, run.choices, v.step),
    events,
    violation: v,
    simplifications: 0,
  };
}
