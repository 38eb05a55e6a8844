import { app, connQueue, nginx, withParams } from '../tiers/index.js';
import { seed } from './seed.js';
import type { Topology } from './topology.js';

/**
 * Mitigations: each is the seed with one configuration change an operator
 * could make. Which properties each repairs, and which it does not, is not
 * assumed here: the property suites check every one (properties/*.property.ts)
 * and `connmodel matrix` shows the verdicts (docs/matrix.md, docs/properties.md).
 */

const replaceTier = (name: string, tier: Topology['tiers'][number]) => seed.tiers.map((t) => (t.name === name ? tier : t));

/** What the operators finally did: no connection queue; the NLB's flows go straight to NGINX. */
export const queueRemoved: Topology = {
  ...seed,
  name: 'queue-removed',
  description: 'the seed without the connection queue: the NLB passes each flow straight to NGINX',
  tiers: seed.tiers.filter((t) => t.name !== connQueue.name),
  // Measured by the seed's yardstick: removing the queue removes the bound, not the fan-out.
  flowBound: connQueue.params.limit,
  mitigation: { base: 'seed', change: 'remove the L4 connection queue (port 80 goes straight to NGINX)' },
};

/** The Go proxy limits requests in flight instead of connections: it reads every connection. */
export const requestLimit: Topology = {
  ...seed,
  name: 'request-limit',
  description: 'the queue limits requests in flight (15) instead of connections: every connection is read',
  tiers: replaceTier(connQueue.name, withParams(connQueue, { mode: 'requests' })),
  // Measured by the seed's yardstick: counting requests instead of connections does not stop the fan-out.
  flowBound: connQueue.params.limit,
  mitigation: { base: 'seed', change: 'limit 15 requests in flight instead of 15 active connections (every connection is read)' },
};

/** NGINX closes idle client connections after 10 s instead of 75 s: idle "golden" connections give up their queue slots sooner. */
export const nginxKeepaliveShort: Topology = {
  ...seed,
  name: 'nginx-keepalive-short',
  description: 'NGINX keepalive_timeout 10 s instead of 75 s: idle connections release their queue slots well within the 29 s integration timeout',
  tiers: replaceTier(nginx.name, withParams(nginx, { downstreamIdleTimeout: 10_000 })),
  mitigation: { base: 'seed', change: 'nginx keepalive_timeout 10s (was 75s)' },
};

/**
 * NGINX does no keep-alive towards the gateway (`keepalive_timeout 0`): every
 * response says `Connection: close`, so the gateway never reuses a
 * connection and no connection sits idle holding a queue slot. Modelled as
 * keepalive_requests 1, which has the same effect on the wire.
 */
export const nginxKeepaliveOff: Topology = {
  ...seed,
  name: 'nginx-keepalive-off',
  description: 'NGINX keepalive_timeout 0: every response closes its connection, so the gateway opens one per request and none idles in a queue slot',
  tiers: replaceTier(nginx.name, withParams(nginx, { downstreamMaxRequests: 1 })),
  mitigation: { base: 'seed', change: 'nginx keepalive_timeout 0 (no keep-alive towards the gateway; every response says Connection: close)' },
};

/** NGINX keeps upstream connections to Node alive (`keepalive` + HTTP/1.1 upstream), with its default 60 s upstream idle timeout. */
export const nginxUpstreamKeepalive: Topology = {
  ...seed,
  name: 'nginx-upstream-keepalive',
  description: 'NGINX reuses upstream connections to Node (upstream keepalive, keepalive_timeout 60 s) while Node closes idle ones after 5 s',
  tiers: replaceTier(nginx.name, withParams(nginx, { upstreamPolicy: 'pooled', upstreamIdleTimeout: 60_000 })),
  mitigation: {
    base: 'seed',
    change: 'nginx upstream { keepalive 32; keepalive_timeout 60s; } with proxy_http_version 1.1 (was a new connection per request)',
  },
};

/** Upstream keep-alive done right: Node keeps idle connections longer (65 s) than NGINX does (60 s). */
export const nodeKeepaliveLonger: Topology = {
  ...nginxUpstreamKeepalive,
  name: 'node-keepalive-longer',
  description: 'upstream keep-alive with Node keepAliveTimeout 65 s, longer than NGINX’s 60 s upstream idle timeout: NGINX always closes first',
  tiers: nginxUpstreamKeepalive.tiers.map((t) => (t.name === app.name ? withParams(app, { downstreamIdleTimeout: 65_000 }) : t)),
  mitigation: {
    base: 'nginx-upstream-keepalive',
    change: 'server.keepAliveTimeout = 65000 in Node (was 5000), above NGINX’s 60 s upstream keepalive_timeout',
  },
};

/** The health check goes through the queue (the traffic port), so it waits where traffic waits. */
export const healthThroughQueue: Topology = {
  ...seed,
  name: 'health-through-queue',
  description: 'the health check uses the traffic port, through the connection queue, instead of port 8080 straight into NGINX',
  healthCheck: { ...seed.healthCheck!, entersAt: connQueue.name },
  mitigation: { base: 'seed', change: 'point the target group health check at port 80 (through the queue) instead of 8080' },
};

/** Every mitigation, in the order the docs present them. */
export const mitigations: readonly Topology[] = [
  queueRemoved,
  requestLimit,
  nginxKeepaliveShort,
  nginxKeepaliveOff,
  nginxUpstreamKeepalive,
  nodeKeepaliveLonger,
  healthThroughQueue,
];
