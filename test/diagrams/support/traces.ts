import fc from 'fast-check';
import { connQueue, withParams } from '../../../models/tiers/index.js';
import { seed } from '../../../models/topologies/index.js';
import type { Topology } from '../../../models/topologies/topology.js';
import { DEFAULT_CHOICE } from '../../../src/kernel/step.js';
import { scriptedTrace } from '../../../src/diagrams/scriptedRun.js';
import { runScenario } from '../../../src/explore/run.js';
import { scenarioArbitrary } from '../../../src/explore/scenarios.js';
import type { TraceEvent } from '../../../src/kernel/events.js';

/**
 * Runs that exercise what diagrams must draw beyond the seed's happy path:
 * a connection queue of one slot, so that a second connection is parked,
 * requests time out at the gateway (504), idle connections close, and parked
 * ones are activated; two clients; two instances.
 */
export const oneSlotQueue: Topology = {
  ...seed,
  name: 'one-slot-queue',
  tiers: seed.tiers.map((t) => (t.name === 'connQueue' ? withParams(connQueue, { limit: 1 }) : t)),
};

/** Two clients, two requests each, the obvious schedule, until nothing is left to happen. */
export function queueingTrace(): { topology: Topology; events: TraceEvent[] } {
  const trace = scriptedTrace(oneSlotQueue, { clients: 2, requests: 2, choose: () => DEFAULT_CHOICE, done: () => false, maxSteps: 2000 });
  return { topology: oneSlotQueue, events: trace.events };
}

/** A few random runs of the seed topology (fixed seed): interleaved clients, both instances, delays. */
export function randomTraces(count: number): { topology: Topology; events: TraceEvent[] }[] {
  const scenarios = fc.sample(scenarioArbitrary({ clients: 2, requests: 3, scheduleLength: 40, maxDelay: 100_000 }), { seed: 7, numRuns: count });
  return scenarios.map((sc) => ({ topology: seed, events: runScenario(seed, sc, [], { maxSteps: 300, stopAtViolation: false }).events }));
}
