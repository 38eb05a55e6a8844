import { methodCycle } from '../../models/scenarios/methods.js';
import type { SimulationScenario } from '../../models/scenarios/scenario.js';
import { composeSystem, type SystemModel } from '../../models/system.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';

/** Requests per client connection and health checks per checker: unbounded for any run length (ids stay short enough). */
export const UNBOUNDED = 1_000_000_000;

/**
 * The topology a scenario runs on: the given one with the scenario's
 * parameter overrides (a wider database window), what the scenario says of
 * its clients (churn, timeout, the methods of their requests, their retry
 * policy) as the client machine's parameters, the throttle it starts with as
 * the throttled tier's parameters, and health checks that go on for the
 * whole run (`check` bounds them, a simulation does not). It gets a name of
 * its own, so that a trace window cut from the run replays on it and not on
 * the shipped topology.
 */
export function runTopology(topology: Topology, scenario: SimulationScenario): Topology {
  const throttle = scenario.throttle;
  const tiers = topology.tiers.map((t, i) => {
    let params: Record<string, unknown> = { ...t.params, ...(scenario.topology[t.name] ?? {}) };
    if (i === 0) {
      const methods = methodCycle(scenario.requests.mix) ?? ['GET'];
      params = { ...params, methods, retries: scenario.requests.retries.max, retryBackoff: scenario.requests.retries.backoff };
      if (scenario.clients.closeAfterResponse) params = { ...params, closeAfterResponse: true };
      if (scenario.clients.timeout !== undefined) params = { ...params, timeout: scenario.clients.timeout };
    }
    if (t.name === throttle.tier && throttle.rate !== null) params = { ...params, throttleRate: throttle.rate, throttleBurst: throttle.burst };
    return { ...t, params } as unknown as TierSpec;
  });
  const hc = topology.healthCheck;
  return {
    ...topology,
    name: `${topology.name}.sim-${scenario.name}`,
    description: `${topology.name} under simulation scenario '${scenario.name}'`,
    tiers,
    ...(hc ? { healthCheck: { ...hc, checks: UNBOUNDED } } : {}),
  };
}

/** The system a scenario runs: every customer client's connections as client instances. */
export function runModel(topology: Topology, scenario: SimulationScenario): SystemModel {
  return composeSystem(runTopology(topology, scenario), { clients: clientConnections(scenario), requests: UNBOUNDED });
}

export const clientConnections = (scenario: SimulationScenario) => scenario.clients.count * scenario.clients.connections;
