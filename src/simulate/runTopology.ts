import { InputError } from '../../models/inputError.js';
import { formatDuration } from '../../models/params/duration.js';
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
 * whole run of `duration` ms (`check` bounds them to a few). It gets a name of
 * its own, so that a trace window cut from the run replays on it and not on
 * the shipped topology.
 */
export function runTopology(topology: Topology, scenario: SimulationScenario, duration: number): Topology {
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
    // Every value the scenario set says so, as every parameter of a topology names its source.
    const base = t.params as unknown as Record<string, unknown>;
    const set = Object.keys(params).filter((k) => !Object.is(params[k], base[k]) || !Object.hasOwn(base, k));
    const sources = t.sources && set.length > 0 ? { ...t.sources, ...Object.fromEntries(set.map((k) => [k, { source: 'choice', ref: `simulation scenario '${scenario.name}'` }])) } : t.sources;
    return { ...t, params, ...(sources ? { sources } : {}) } as unknown as TierSpec;
  });
  const hc = topology.healthCheck;
  return {
    ...topology,
    name: `${topology.name}.sim-${scenario.name}`,
    description: `${topology.name} under simulation scenario '${scenario.name}'`,
    tiers,
    ...(hc ? { healthCheck: { ...hc, checks: healthChecksFor(hc.interval, duration) } } : {}),
  };
}

/**
 * Checks each health checker may make in a run of `duration` ms: more than it
 * has time for (a check every `interval` at most, the first within one
 * interval), so that checks go on for the whole run, as in production. A
 * number rather than unbounded, so that a window of the run is a valid trace
 * (its topology is checked as a file is: at most MAX_WINDOW_HEALTH_CHECKS).
 */
export function healthChecksFor(interval: number, duration: number): number {
  return Math.ceil(duration / Math.max(interval, 1)) + 1;
}

/** The most checks per checker a topology file (and so a trace's topology) may give (src/topologyFile/schema.ts). */
export const MAX_WINDOW_HEALTH_CHECKS = 1000;

/** A window can be cut from a run only if its topology's health checks fit a trace: an InputError saying how long a run may be otherwise. */
export function checkWindowFits(topology: Topology, duration: number): void {
  const hc = topology.healthCheck;
  if (!hc || healthChecksFor(hc.interval, duration) <= MAX_WINDOW_HEALTH_CHECKS) return;
  const longest = (MAX_WINDOW_HEALTH_CHECKS - 1) * Math.max(hc.interval, 1);
  throw new InputError(
    `--trace-window: a run of ${formatDuration(duration)} with a health check every ${formatDuration(hc.interval)} has up to ${healthChecksFor(hc.interval, duration)} checks per checker, and a trace's topology holds at most ${MAX_WINDOW_HEALTH_CHECKS}; cut the window from a run of at most ${formatDuration(longest)} (--duration)`,
  );
}

/** The system a scenario runs for `duration` ms: every customer client's connections as client instances. */
export function runModel(topology: Topology, scenario: SimulationScenario, duration: number): SystemModel {
  return composeSystem(runTopology(topology, scenario, duration), { clients: clientConnections(scenario), requests: UNBOUNDED });
}

export const clientConnections = (scenario: SimulationScenario) => scenario.clients.count * scenario.clients.connections;
