/**
 * What properties need to know about a topology's parameters: its connection
 * limits, which tier's timeout is "the" deadline, and the exploration bounds
 * that reach a full connection queue. (Its structure, health checkers and
 * boundaries: models/topologies/structure.ts.)
 */
import { formatDuration } from '../models/params/duration.js';
import { connQueue } from '../models/tiers/connQueue.js';
import type { TierSpec, Topology } from '../models/topologies/topology.js';
import type { PropertyBounds } from '../src/explore/property.js';

/** A duration as statements print it (`29s`, `75s`, `1500ms`). */
export const duration = (ms: number): string => formatDuration(ms);

/** `a`, `a and b`, `a, b and c`. */
export function listOf(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

type LimiterSpec = Extract<TierSpec, { kind: 'connectionLimiter' }>;

/** The topology's connection limiters, in pipeline order. */
export function limitersOf(topology: Topology): LimiterSpec[] {
  return topology.tiers.filter((t): t is LimiterSpec => t.kind === 'connectionLimiter');
}

/** The per-instance limiter counting connections with the smallest limit (the seed's queue), or null. */
export function instanceQueue(topology: Topology): LimiterSpec | null {
  const queues = limitersOf(topology).filter((t) => t.perInstance && (t.params.mode ?? 'connections') === 'connections');
  return queues.sort((a, b) => a.params.limit - b.params.limit)[0] ?? null;
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
  const own = anyLimit(topology);
  const limit = own ?? connQueue.params.limit;
  const requests = Math.max(topology.bounds.requests, limit + 2);
  const clients = topology.bounds.clients;
  const why =
    own === null
      ? `no limiter here: explored as deep as the seed's ${limit}-slot queue, ${limit + 2} requests per client connection, so a mitigation is checked as hard as what it replaces`
      : `filling a limit of ${limit} from one client connection takes ${limit + 1} connections at one instance: ${limit + 2} requests`;
  return { clients, requests, maxSteps: clients * requests * 32 + 300, why };
}
