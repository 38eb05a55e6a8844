import { tierOf } from '../models/system.js';
/**
 * What properties need to know about a topology beyond its tiers: which
 * instances are clients or health checkers, which requests are health checks,
 * where an instance begins, which tier's timeout is "the" deadline, and the
 * exploration bounds that reach a full connection queue.
 */
import { connQueue } from '../models/tiers/connQueue.js';
import type { Topology } from '../models/topologies/topology.js';
import type { PropertyBounds } from './property.js';

/** The instance id's tier name (`connQueue.2` -> `connQueue`): the model's own `tierOf`. */
export const tierName = tierOf;

/** The copy number of a per-instance id (`nginx.2` -> 2), or null for a shared tier (`gateway`). */
export function copyOf(instance: string): number | null {
  const dot = instance.indexOf('.');
  if (dot < 0) return null;
  const n = Number(instance.slice(dot + 1));
  return Number.isInteger(n) ? n : null;
}

/** The name of the topology's health checker tier, or null when it has none. */
export const healthName = (topology: Topology): string | null => topology.healthCheck?.name ?? null;

/** Health-check traffic: a request first sent on a health checker's connection (`health>nginx#2`). */
export function isHealthOrigin(topology: Topology, origin: string | undefined): boolean {
  const h = healthName(topology);
  return h !== null && origin !== undefined && origin.startsWith(`${h}>`);
}

/** A health checker instance (`health.1`). */
export function isHealthInstance(topology: Topology, at: string): boolean {
  const h = healthName(topology);
  return h !== null && tierName(at) === h;
}

/** Any instance that originates requests: the clients and the health checkers. */
export function isRequester(topology: Topology, at: string): boolean {
  return tierName(at) === topology.tiers[0]!.name || isHealthInstance(topology, at);
}

/** The tier where an instance begins (the first per-instance tier: connQueue, or nginx without the queue). */
export function entryTier(topology: Topology): string | null {
  return topology.tiers.find((t) => t.perInstance)?.name ?? null;
}

/** Whether a tier has one copy per instance. */
export function isPerInstanceTier(topology: Topology, name: string): boolean {
  return topology.tiers.find((t) => t.name === name)?.perInstance === true;
}

/** The smallest connection limit of a connection queue that counts connections (the seed's), or null. */
export function connectionLimit(topology: Topology): number | null {
  const limits = topology.tiers.flatMap((t) =>
    t.kind === 'connectionLimiter' && (t.params.mode ?? 'connections') === 'connections' ? [t.params.limit] : [],
  );
  return limits.length > 0 ? Math.min(...limits) : null;
}

/** The smallest limit of any limiter (connections or requests), or null. */
export function anyLimit(topology: Topology): number | null {
  const limits = topology.tiers.flatMap((t) => (t.kind === 'connectionLimiter' ? [t.params.limit] : []));
  return limits.length > 0 ? Math.min(...limits) : null;
}

/**
 * The deadline requests are held to: the request timeout of the tier named
 * `gateway` (API Gateway's integration timeout), else of the first proxy that
 * has one. Null when no tier times requests out.
 */
export function deadlineOf(topology: Topology): { tier: string; timeout: number; status: number } | null {
  const proxies = topology.tiers.filter((t) => t.kind === 'l7Proxy');
  const gw = proxies.find((t) => t.name === 'gateway' && t.kind === 'l7Proxy' && t.params.requestTimeout !== null);
  const t = gw ?? proxies.find((p) => p.kind === 'l7Proxy' && p.params.requestTimeout !== null);
  if (!t || t.kind !== 'l7Proxy' || t.params.requestTimeout === null) return null;
  return { tier: t.name, timeout: t.params.requestTimeout, status: t.params.timeoutStatus };
}

/**
 * Bounds deep enough to fill an instance's queue with one client connection:
 * `limit + 2` requests per client (`limit + 1` connections at one instance
 * and one more request), with room in the step bound for every one of them.
 * Topologies without a limiter are explored as deep as the seed's 15-slot
 * queue, so that a mitigation is checked as hard as what it replaces.
 */
export function queueFillingBounds(topology: Topology): PropertyBounds {
  const limit = anyLimit(topology) ?? connQueue.params.limit;
  const requests = Math.max(topology.bounds.requests, limit + 2);
  const clients = topology.bounds.clients;
  return { clients, requests, maxSteps: clients * requests * 32 + 300 };
}
