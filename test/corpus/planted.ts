/**
 * A generated corpus of small random topologies (2 to 6 tiers), each with a
 * violation planted by construction at depth: one the obvious run never
 * shows, that needs non-default choices late in a run, a race timed to the
 * millisecond, or many requests. Each says which property must be violated,
 * at which facet, and with how few client connections and requests at least
 * (the minimum `check` must report). Used by test/corpus and `npm run bench`.
 */
import { l4LoadBalancerDescriptor } from '../../models/machines/l4LoadBalancer.js';
import { l7ProxyDescriptor, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';
import { flowBound } from '../../properties/flowBound.js';
import { noReset } from '../../properties/noReset.js';
import { noStarvation } from '../../properties/noStarvation.js';
import { oneToOne } from '../../properties/oneToOne.js';
import type { Property } from '../../src/explore/property.js';

export interface Planted {
  topology: Topology;
  property: Property;
  /** What was planted, in a few words. */
  plant: string;
  /** The facet the planted violation shows at (null: unsplit property). */
  facet: string | null;
  /** The fewest client connections and requests that violate it. */
  minimum: { clientConnections: number; requests: number };
}

type Pick = <T>(xs: readonly T[]) => T;

const client = (): TierSpec => ({ name: 'client', kind: 'client', perInstance: false, participant: 'Client', params: { requests: 2, timeout: null } });
const proxy = (name: string, perInstance: boolean, p: Partial<L7ProxyParams>): TierSpec => ({
  name,
  kind: 'l7Proxy',
  perInstance,
  participant: name,
  params: { ...l7ProxyDescriptor.params.defaults, ...p },
});
const balancer = (): TierSpec => ({ name: 'lb', kind: 'l4LoadBalancer', perInstance: false, participant: 'LB', params: { ...l4LoadBalancerDescriptor.params.defaults, targets: 1, idleTimeout: null } });
const limiter = (limit: number): TierSpec => ({ name: 'limiter', kind: 'connectionLimiter', perInstance: true, participant: 'Limiter', params: { limit } });
const server = (perInstance: boolean, idleTimeout: number | null): TierSpec => ({
  name: 'server',
  kind: 'server',
  perInstance,
  participant: 'Server',
  params: { responseTime: [1, 20], idleTimeout },
});

function topology(name: string, tiers: TierSpec[], instances: number, requests: number, pick: Pick): Topology {
  return {
    name,
    description: `generated: ${tiers.map((t) => t.name).join(' -> ')}`,
    tiers,
    instances,
    instanceParticipant: 'Host',
    latency: pick([
      [1, 5],
      [1, 20],
    ] as const),
    bounds: { clients: pick([1, 2]), requests },
  };
}

/**
 * A fleet of W workers (no `spread`: the obvious run puts every request on
 * worker 0) in front of a per-instance limit L < W: L + 1 requests of one
 * client connection, each on a worker of its own, hold L + 1 connections at
 * the limiter. flow-bound, at the boundary into the limiter (or into a
 * per-instance server, with an explicit `flowBound` instead of a limiter).
 */
function fleetOverLimit(i: number, pick: Pick): Planted {
  const workers = pick([3, 4, 5, 6, 8]);
  const limit = pick([2, 3, 4, 5].filter((l) => l < workers));
  const fleet = proxy('fleet', false, { upstreamPolicy: 'fleet', workers, requestTimeout: pick([null, 29_000]) });
  const shape = pick(['limiter', 'limiter+web', 'bound'] as const);
  const instances = pick([1, 2]);
  const web = () => proxy('web', true, { upstreamPolicy: pick(['perRequest', 'pooled'] as const), downstreamIdleTimeout: pick([null, 75_000]), downstreamMaxRequests: pick([null, 100]) });
  const tiers = [client(), fleet, balancer(), ...(shape === 'bound' ? [] : [limiter(limit)]), ...(shape === 'limiter+web' ? [web()] : []), server(true, null)];
  const t = topology(`corpus-${i}-fleet-over-limit`, tiers, instances, 3, pick);
  return {
    topology: shape === 'bound' ? { ...t, flowBound: limit } : t,
    property: flowBound,
    plant: `fleet of ${workers} over a limit of ${limit} (${shape}, ${instances} instance${instances > 1 ? 's' : ''})`,
    facet: shape === 'bound' ? 'lb>server' : 'lb>limiter',
    minimum: { clientConnections: 1, requests: limit + 1 },
  };
}

/**
 * The same fan-out with a request timeout at the fleet: L connections on L
 * workers hold the limiter's slots while idle, the next is parked unread, and
 * its request waits past the timeout. no-starvation.
 */
function starvedBehindLimit(i: number, pick: Pick): Planted {
  const workers = pick([3, 4, 5, 6, 8]);
  const limit = pick([2, 3, 4].filter((l) => l < workers));
  const timeout = pick([5_000, 10_000, 29_000]);
  const fleet = proxy('fleet', false, { upstreamPolicy: 'fleet', workers, requestTimeout: timeout });
  const withWeb = pick([false, true]);
  // Nothing behind the limiter closes an idle connection before the timeout: the slots stay taken.
  const tiers = [
    client(),
    fleet,
    balancer(),
    limiter(limit),
    ...(withWeb ? [proxy('web', true, { upstreamPolicy: pick(['perRequest', 'pooled'] as const), downstreamIdleTimeout: pick([null, 75_000]) })] : []),
    server(true, pick([null, 3_600_000])),
  ];
  return {
    topology: topology(`corpus-${i}-starved`, tiers, pick([1, 2]), 3, pick),
    property: noStarvation,
    plant: `fleet of ${workers} over a limit of ${limit}, request timeout ${timeout} ms${withWeb ? ', a web tier' : ''}`,
    facet: null,
    minimum: { clientConnections: 1, requests: limit + 1 },
  };
}

/**
 * A chain of pooling proxies whose last hop closes idle connections after T:
 * a request sent on the pooled connection just as T expires crosses the
 * close on the wire and is reset. no-reset, at the closing hop's boundary.
 */
function idleCloseRace(i: number, pick: Pick): Planted {
  const hops = pick([0, 1, 2, 3, 4]);
  const idle = pick([1_000, 5_000, 20_000, 60_000]);
  const closerIsProxy = hops > 0 && pick([false, true]);
  const names = ['edge', 'mesh', 'sidecar', 'gate'].slice(0, hops);
  const proxies = names.map((n, k) => proxy(n, false, { upstreamPolicy: 'pooled', downstreamIdleTimeout: closerIsProxy && k === hops - 1 ? idle : null }));
  const tiers = [client(), ...proxies, server(false, closerIsProxy ? null : idle)];
  const closer = closerIsProxy ? hops : hops + 1;
  const boundary = `${tiers[closer - 1]!.name}>${tiers[closer]!.name}`;
  return {
    topology: topology(`corpus-${i}-race`, tiers, 1, 2, pick),
    property: noReset,
    plant: `${tiers[closer]!.name} closes idle after ${idle} ms behind ${hops} pooling prox${hops === 1 ? 'y' : 'ies'}`,
    facet: boundary,
    minimum: { clientConnections: 1, requests: 2 },
  };
}

/**
 * A fleet of W workers (no `spread`: the obvious run puts every request on
 * worker 0) behind 0 to 2 pooling proxies: request 2 of one client connection
 * on another worker opens a second connection at fleet>web while worker 0's
 * is still open, idle in its pool. one-to-one ("one connection at a time": a
 * connection closed and replaced is not a second one, which is why a request
 * limit that renews connections is no plant since issue 12).
 */
function fleetFansOut(i: number, pick: Pick): Planted {
  const workers = pick([2, 3, 4, 6]);
  const front = pick([0, 1, 2]);
  const tiers = [
    client(),
    ...['edge', 'mesh'].slice(0, front).map((n) => proxy(n, false, { upstreamPolicy: 'pooled' })),
    proxy('fleet', false, { upstreamPolicy: 'fleet', workers }),
    proxy('web', false, { upstreamPolicy: pick(['perRequest', 'pooled'] as const), downstreamIdleTimeout: pick([null, 75_000]) }),
    server(false, null),
  ];
  return {
    topology: topology(`corpus-${i}-fanout`, tiers, 1, pick([2, 3]), pick),
    property: oneToOne,
    plant: `a fleet of ${workers} workers behind ${front} pooling prox${front === 1 ? 'y' : 'ies'}`,
    facet: 'fleet>web',
    minimum: { clientConnections: 1, requests: 2 },
  };
}

/** A small deterministic generator in [0, 1) (no test-runner imports: `npm run bench` uses this file too). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}

const PLANTS = [fleetOverLimit, starvedBehindLimit, idleCloseRace, fleetFansOut];

/** `n` planted topologies, the same for the same `seed`: the kinds in turn, their parameters drawn at random. */
export function plantedCorpus(n: number, seed = 13): Planted[] {
  const next = rng(seed);
  const pick: Pick = (xs) => xs[Math.floor(next() * xs.length)]!;
  return Array.from({ length: n }, (_, i) => PLANTS[i % PLANTS.length]!(i, pick));
}
