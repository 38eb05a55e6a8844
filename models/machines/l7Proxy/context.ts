import type { KernelVisibleContext, Method } from '../vocabulary.js';

/**
 * How a request finds its upstream connection, the policy under test:
 * - `pinned`: each client-side connection gets one upstream connection of its
 *   own, opened for its first request and reused for every later one; when the
 *   client side closes, so does its upstream (the team's belief about every tier).
 *   When the upstream goes away, the next request opens a new one: no real tier
 *   closes a client connection because an upstream connection closed;
 * - `pooled`: reuse an idle upstream connection, else open one;
 * - `fleet`: `workers` independent workers, each request lands on any of them
 *   (a schedule choice), each worker pools on its own (API Gateway);
 * - `perRequest`: a new upstream connection per request, closed after the
 *   response (NGINX's HTTP/1.0 default towards its upstream).
 */
export type UpstreamPolicy = 'pinned' | 'pooled' | 'fleet' | 'perRequest';

/**
 * Which idle pooled connection a request reuses: `mru` the most recently
 * released (NGINX's keepalive cache, sequelize-pool), `lru` the least
 * recently released, `oldest` the longest open.
 */
export type ReuseOrder = 'mru' | 'lru' | 'oldest';

export interface L7ProxyParams {
  upstreamPolicy: UpstreamPolicy;
  /** fleet: number of independent workers, each with its own pool. */
  workers: number;
  /**
   * fleet: how the schedule's branch `pick` names a worker. false (default):
   * worker `pick % workers`. true: the worker `pick` places after the next one
   * in rotation, so the default schedule (pick 0) spreads the requests of one
   * client connection over the fleet, as a large fleet does. The same workers
   * are reachable either way; only which choice is the "obvious" one differs.
   */
  spread?: boolean;
  /** Which idle pooled connection a request reuses. */
  reuse: ReuseOrder;
  /** Most upstream connections one worker may hold; further requests wait (null: unbounded). */
  maxUpstream: number | null;
  /** A request waiting for an upstream connection fails with 503 after this (null: waits forever). */
  acquireTimeout: number | null;
  /** Close a pooled upstream connection idle this long (null: never). */
  upstreamIdleTimeout: number | null;
  /** Close a client-side connection that has carried no request for this long (NGINX client_header_timeout; null: never). */
  firstRequestTimeout: number | null;
  /** Close a client-side connection idle this long after a response (NGINX keepalive_timeout, Node keepAliveTimeout; null: never). */
  downstreamIdleTimeout: number | null;
  /** After this many requests on one client-side connection, answer with `Connection: close` (null: no limit). */
  downstreamMaxRequests: number | null;
  /** Answer `timeoutStatus` when the upstream has not answered within this (null: wait forever). */
  requestTimeout: number | null;
  timeoutStatus: number;
  /** Attempts to connect upstream for one request when the connection is refused (CloudFront connection attempts); then 502. */
  connectAttempts: number;
  /** Attempts for a safe request (GET, HEAD) whose upstream did not answer within `requestTimeout` (CloudFront); then `timeoutStatus`. */
  timeoutAttempts: number;
  /**
   * A request lost on a reused (cached) upstream connection, closed or reset
   * under it, is sent again on a new connection, unless it is not idempotent
   * (POST, PATCH): NGINX's `proxy_next_upstream error`, where a cached
   * connection's failure does not count as a try.
   */
  retryCachedFailures: boolean;
  /**
   * When the client side goes away under a request, close its upstream
   * connection (true: NGINX, which closes the upstream on a client abort), or
   * let it finish the request and be reused (false: a database pool, whose
   * query cannot be cancelled).
   */
  cancelOnAbandon: boolean;
  /**
   * Requests per second its token bucket lets through; a request above it is
   * answered 429 at once (API Gateway throttling). Absent or null: no
   * throttle. A control-plane THROTTLE event changes it while it runs.
   */
  throttleRate?: number | null;
  /** The bucket's size: how many requests may pass at once above the rate. Absent or null: one second's worth (the rate). */
  throttleBurst?: number | null;
}

/**
 * A token bucket: `tokens` (at most `burst`) are taken one per request and
 * put back at `rate` per second by the refill timer, which runs while the
 * bucket is not full (throttle.ts).
 */
export interface Throttle {
  rate: number;
  burst: number;
  tokens: number;
}

export interface DownConn {
  id: string;
  served: number;
  busy: string | null;
  pinned: string | null;
}
export interface UpConn {
  id: string;
  worker: number;
  busy: string | null;
  pinnedTo: string | null;
  /** Requests it has carried: one that carried an earlier request is a reused ("cached") connection. */
  served: number;
}
export interface Inflight {
  req: string;
  method: Method;
  /** The client-side connection it came on; null once that went away and the upstream still owes its answer. */
  down: string | null;
  up: string | null;
  worker: number;
  /** Connection attempts and timed-out attempts made for it so far. */
  connectTries: number;
  timeoutTries: number;
}

export interface L7ProxyContext extends KernelVisibleContext {
  params: L7ProxyParams;
  down: DownConn[];
  up: UpConn[];
  inflight: Inflight[];
  /** Requests waiting for an upstream connection, oldest first. */
  waiting: string[];
  /** Idle pooled upstream connections, in the order they were released (oldest release first). */
  idle: string[];
  /** Requests routed so far (the rotation of a `spread` fleet). */
  routed: number;
  /** Its throttle, when it has one (absent: never had one; null: switched off). */
  throttle?: Throttle | null;
}

export type Ctx = L7ProxyContext;

export const firstKey = (conn: string) => `first:${conn}`;
export const idleKey = (conn: string) => `idle:${conn}`;
export const upIdleKey = (conn: string) => `upidle:${conn}`;
export const requestKey = (req: string) => `req:${req}`;
export const acquireKey = (req: string) => `acquire:${req}`;
export const THROTTLE_KEY = 'throttle';

/** The worker a request lands on, given the schedule's branch `pick`. */
export function fleetWorker(ctx: { params: Pick<L7ProxyParams, 'upstreamPolicy' | 'workers' | 'spread'>; routed?: number }, pick: number): number {
  if (ctx.params.upstreamPolicy !== 'fleet') return 0;
  return (pick + (ctx.params.spread ? (ctx.routed ?? 0) : 0)) % ctx.params.workers;
}
export function downOf(ctx: Ctx, id: string | null | undefined): DownConn | undefined {
  return ctx.down.find((d) => d.id === id);
}

/**
 * `downOf` for guards, remembering its last answer: one REQUEST asks each of
 * its branches' guards (up to five) about the same connection of the same
 * context, and CloudFront holds a record per customer connection. Contexts a
 * guard reads are never changed (a reaction copies what it changes), so an
 * answer for a list stays right.
 */
let lastDown: { list: readonly DownConn[]; id: string | null | undefined; found: DownConn | undefined } | null = null;
export function knownDown(ctx: Ctx, id: string | null | undefined): DownConn | undefined {
  if (lastDown === null || lastDown.list !== ctx.down || lastDown.id !== id) lastDown = { list: ctx.down, id, found: downOf(ctx, id) };
  return lastDown.found;
}
export function upOf(ctx: Ctx, id: string | null | undefined): UpConn | undefined {
  return ctx.up.find((u) => u.id === id);
}
export function pooled(ctx: Ctx): boolean {
  return ctx.params.upstreamPolicy === 'pooled' || ctx.params.upstreamPolicy === 'fleet';
}

/** The idle pooled connection a request of `worker` reuses, in the proxy's reuse order. */
export function idleUpstream(ctx: Ctx, worker: number): UpConn | undefined {
  if (ctx.idle.length === 0) return undefined;
  if (ctx.params.upstreamPolicy !== 'fleet' && ctx.params.reuse !== 'oldest') {
    // One worker: the idle connection at the reuse end of the list is the one, almost always on the first try.
    const latest = ctx.params.reuse === 'mru';
    for (let k = 0; k < ctx.idle.length; k++) {
      const id = ctx.idle[latest ? ctx.idle.length - 1 - k : k];
      const u = ctx.up.find((x) => x.id === id);
      if (u && u.worker === worker) return u;
    }
    return undefined;
  }
  // Each idle connection's place in release order: one pass over the connections, not a search per idle one.
  const place = new Map<string, number>();
  ctx.idle.forEach((id, at) => place.set(id, at));
  if (ctx.params.reuse === 'oldest') return ctx.up.find((u) => u.worker === worker && place.has(u.id));
  const latest = ctx.params.reuse === 'mru';
  let best: UpConn | undefined;
  let bestAt = 0;
  for (const u of ctx.up) {
    const at = u.worker === worker ? place.get(u.id) : undefined;
    if (at !== undefined && (best === undefined || (latest ? at > bestAt : at < bestAt))) {
      best = u;
      bestAt = at;
    }
  }
  return best;
}

/** `idleUpstream` for guards, remembering its last answer (a REQUEST's guards ask it, then the kernel asks again whether it is accepted). */
let lastIdle: { up: readonly UpConn[]; idle: readonly string[]; worker: number; found: UpConn | undefined } | null = null;
export function idleUpstreamFor(ctx: Ctx, worker: number): UpConn | undefined {
  const l = lastIdle;
  if (l === null || l.up !== ctx.up || l.idle !== ctx.idle || l.worker !== worker) lastIdle = { up: ctx.up, idle: ctx.idle, worker, found: idleUpstream(ctx, worker) };
  return lastIdle!.found;
}
