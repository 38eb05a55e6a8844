import { and, setup } from 'xstate';
import { choice, flag, MAX_BRANCHES, timeout, whole } from '../params/fields.js';
import { describeMachine, type ConnectionView } from './descriptor.js';
import {
  acquireKey,
  downOf,
  fleetWorker,
  idleUpstreamFor,
  knownDown,
  pooled,
  requestKey,
  upOf,
  type Ctx,
  type DownConn,
  type Inflight,
  type L7ProxyContext,
  type L7ProxyParams,
} from './l7Proxy/context.js';
import { bucketOf, overThrottle, refill, resetBucket, takeToken } from './l7Proxy/throttle.js';
import { Work } from './l7Proxy/work.js';
import { eventOf, reaction } from './reaction.js';
import { HTTP_SERVICE_UNAVAILABLE, HTTP_TOO_MANY_REQUESTS, type Effect, type TierEvent } from './vocabulary.js';

export type { L7ProxyContext, L7ProxyParams, ReuseOrder, UpstreamPolicy } from './l7Proxy/context.js';

/**
 * An L7 proxy: terminates client-side connections and forwards each request on
 * a connection of its own to the next tier. CloudFront, API Gateway, NGINX and
 * the Node.js app (whose "upstream" is its database pool) are all presets of it;
 * its parameters are the products' settings (l7Proxy/context.ts).
 */
export interface L7ProxyInput {
  params: L7ProxyParams;
}

function workerFor(ctx: Ctx, event: TierEvent): number {
  return fleetWorker(ctx, event.pick);
}

type Via = 'pinned' | 'idle' | 'new' | 'wait';

export const l7Proxy = setup({
  types: {
    context: {} as L7ProxyContext,
    events: {} as TierEvent,
    input: {} as L7ProxyInput,
    emitted: {} as Effect,
  },
  actions: {
    acceptDownstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const d = w.add<DownConn>(w.ctx.down, { id: eventOf(event, 'CONNECT').conn, served: 0, busy: null, pinned: null });
      // Until its first request a connection is under the first-request timeout (NGINX client_header_timeout), not keep-alive.
      w.armFirst(d);
      return w.done();
    }),
    routeRequest: reaction<Ctx, { via: Via }>((ctx, event, { via }) => {
      const e = eventOf(event, 'REQUEST');
      const w = new Work(ctx);
      const d = w.down(e.conn)!;
      const worker = workerFor(ctx, e);
      const f: Inflight = { req: e.req, method: e.method, down: d.id, up: null, worker, connectTries: 0, timeoutTries: 0 };
      if (w.ctx.throttle) w.ctx.throttle = takeToken(w.ctx.throttle, w.effects);
      d.served += 1;
      d.busy = e.req;
      // Only a spread fleet reads the count; elsewhere it would only split otherwise equal states.
      if (ctx.params.spread) w.ctx.routed = (ctx.routed ?? 0) + 1;
      w.add(w.ctx.inflight, f);
      w.emit({ type: 'cancelTimer', key: `first:${d.id}` });
      w.emit({ type: 'cancelTimer', key: `idle:${d.id}` });
      if (ctx.params.requestTimeout !== null) w.emit({ type: 'setTimer', key: requestKey(e.req), after: ctx.params.requestTimeout });
      const where = ctx.params.upstreamPolicy === 'fleet' ? `worker ${worker}` : ctx.params.upstreamPolicy;
      if (via === 'pinned') {
        w.emit({ type: 'log', what: 'route', req: e.req, conn: d.pinned!, detail: `${where} reuses its pinned connection` });
        w.forward(f, w.up(d.pinned)!);
      } else if (via === 'idle') {
        const u = w.idleFor(worker)!;
        w.emit({ type: 'log', what: 'route', req: e.req, conn: u.id, detail: `${where} reuses idle ${u.id}` });
        w.forward(f, u);
      } else if (via === 'new') {
        const pinned = ctx.params.upstreamPolicy === 'pinned';
        const u = w.openFor(f, e.nextConn, where, pinned ? d.id : null);
        if (pinned) d.pinned = u.id;
      } else {
        w.ctx.waiting.push(e.req);
        w.emit({ type: 'log', what: 'route', req: e.req, detail: `${where} waits: all ${ctx.params.maxUpstream} upstream connections busy` });
        if (ctx.params.acquireTimeout !== null) w.emit({ type: 'setTimer', key: acquireKey(e.req), after: ctx.params.acquireTimeout });
      }
      return w.done();
    }),
    throttleRequest: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'REQUEST');
      const w = new Work(ctx);
      const d = w.down(e.conn)!;
      const t = ctx.throttle!;
      d.served += 1;
      w.emit({ type: 'cancelTimer', key: `first:${d.id}` });
      w.emit({ type: 'cancelTimer', key: `idle:${d.id}` });
      w.emit({ type: 'log', what: 'throttle', req: e.req, conn: d.id, status: HTTP_TOO_MANY_REQUESTS, detail: `over ${t.rate} requests/s, burst ${t.burst}` });
      w.respond(d, e.req, HTTP_TOO_MANY_REQUESTS);
      return w.done();
    }),
    refillThrottle: reaction<Ctx>((ctx) => {
      const effects: Effect[] = [];
      const throttle = refill(ctx.throttle!, effects);
      return { context: { ...ctx, throttle }, effects };
    }),
    changeThrottle: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'THROTTLE');
      const effects: Effect[] = [];
      const throttle = resetBucket(ctx.throttle, e.rate, e.burst, effects);
      const now = throttle ? `${throttle.rate} requests/s, burst ${throttle.burst}` : 'off';
      effects.push({ type: 'log', what: 'throttle', detail: `throttle ${now} (set by ${e.from})` });
      return { context: { ...ctx, throttle }, effects };
    }),
    relayResponse: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESPONSE');
      const w = new Work(ctx);
      const f = w.flight((x) => x.req === e.req && x.up === e.conn)!;
      const u = w.up(e.conn);
      w.answer(f, e.status);
      if (u && w.ctx.up.includes(u)) {
        // `Connection: close` from upstream: that connection carries nothing more.
        if (e.close) w.closeUp(u, 'upstream answered with Connection: close');
        else w.release(u);
      }
      return w.done();
    }),
    releaseStaleUpstream: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESPONSE');
      const w = new Work(ctx);
      const u = w.up(e.conn);
      if (u) {
        if (e.close) w.closeUp(u, 'upstream answered with Connection: close');
        else w.release(u);
      }
      return w.done();
    }),
    timeOutRequest: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const f = w.flight((x) => x.req === eventOf(event, 'TIMER').key.slice('req:'.length));
      if (f) w.timedOut(f, event.nextConn);
      return w.done();
    }),
    failAcquire: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const req = eventOf(event, 'TIMER').key.slice('acquire:'.length);
      const f = w.flight((x) => x.req === req);
      if (!f) return w.done();
      w.emit({ type: 'log', what: 'timeout', req, status: HTTP_SERVICE_UNAVAILABLE, detail: 'no upstream connection became free' });
      w.answer(f, HTTP_SERVICE_UNAVAILABLE);
      return w.done();
    }),
    closeUnusedDownstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const d = w.down(eventOf(event, 'TIMER').key.slice('first:'.length));
      if (!d) return w.done();
      w.emit({ type: 'log', what: 'idle-close', conn: d.id, detail: `no request within ${ctx.params.firstRequestTimeout} ms of accepting it` });
      w.closeDown(d, 'first-request timeout');
      return w.done();
    }),
    closeIdleDownstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const d = w.down(eventOf(event, 'TIMER').key.slice('idle:'.length));
      if (!d) return w.done();
      w.emit({ type: 'log', what: 'idle-close', conn: d.id, detail: `idle ${ctx.params.downstreamIdleTimeout} ms` });
      w.closeDown(d, 'keep-alive idle timeout');
      return w.done();
    }),
    closeIdleUpstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const u = w.up(eventOf(event, 'TIMER').key.slice('upidle:'.length));
      if (!u) return w.done();
      w.emit({ type: 'log', what: 'idle-close', conn: u.id, detail: `idle ${ctx.params.upstreamIdleTimeout} ms` });
      w.closeUp(u, 'pool idle timeout');
      return w.done();
    }),
    dropDownstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const conn = event.type === 'CLOSE' || event.type === 'RESET' ? event.conn : '';
      const d = w.down(conn)!;
      w.ctx.down = w.ctx.down.filter((x) => x !== d);
      w.emit({ type: 'cancelTimer', key: `first:${d.id}` });
      w.emit({ type: 'cancelTimer', key: `idle:${d.id}` });
      const f = w.flight((x) => x.down === d.id);
      if (f) {
        w.emit({ type: 'log', what: 'abandon', req: f.req, conn: d.id, detail: 'client side went away' });
        w.ctx.waiting = w.ctx.waiting.filter((r) => r !== f.req);
        w.emit({ type: 'cancelTimer', key: requestKey(f.req) });
        w.emit({ type: 'cancelTimer', key: acquireKey(f.req) });
        const u = w.up(f.up);
        if (u && !ctx.params.cancelOnAbandon) {
          // The upstream cannot be told to stop (a database query): it stays busy until it answers.
          f.down = null;
        } else {
          w.ctx.inflight = w.ctx.inflight.filter((x) => x !== f);
          if (u) {
            w.closeUp(u, 'request abandoned');
            w.refill(u.worker, event.nextConn);
          }
        }
      }
      const pinned = w.up(d.pinned);
      if (pinned && pinned.busy === null) w.closeUp(pinned, 'its client connection closed');
      return w.done();
    }),
    dropUpstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const e = event.type === 'CLOSE' || event.type === 'RESET' ? event : null;
      const u = w.up(e?.conn)!;
      w.forgetUp(u);
      const f = w.flight((x) => x.up === u.id);
      if (f) w.upstreamLost(f, u, e?.type === 'RESET' && e.refused === true, event.nextConn);
      w.refill(u.worker, event.nextConn);
      return w.done();
    }),
  },
  guards: {
    fromDownstream: ({ event }) => 'side' in event && event.side === 'down',
    knownDownstream: ({ context, event }) => 'conn' in event && knownDown(context, event.conn) !== undefined,
    knownUpstream: ({ context, event }) => 'conn' in event && upOf(context, event.conn) !== undefined,
    overThrottle: ({ context }) => overThrottle(context.throttle),
    hasThrottle: ({ context }) => context.throttle !== undefined && context.throttle !== null,
    pinnedUpstreamIdle: ({ context, event }) => {
      if (context.params.upstreamPolicy !== 'pinned' || event.type !== 'REQUEST') return false;
      const u = upOf(context, downOf(context, event.conn)?.pinned);
      return u !== undefined && u.busy === null;
    },
    idleUpstreamAvailable: ({ context, event }) => pooled(context) && idleUpstreamFor(context, workerFor(context, event)) !== undefined,
    mayOpenUpstream: ({ context, event }) => {
      const p = context.params;
      if (p.upstreamPolicy === 'perRequest') return true;
      if (p.upstreamPolicy === 'pinned') return event.type === 'REQUEST' && downOf(context, event.conn)?.pinned === null;
      const worker = workerFor(context, event);
      return p.maxUpstream === null || context.up.filter((u) => u.worker === worker).length < p.maxUpstream;
    },
    answersLiveRequest: ({ context, event }) => event.type === 'RESPONSE' && context.inflight.some((f) => f.req === event.req && f.up === event.conn),
    timerIs: ({ event }, params: { prefix: string }) => event.type === 'TIMER' && event.key.startsWith(params.prefix),
  },
}).createMachine({
  id: 'l7Proxy',
  context: ({ input }) => ({
    params: input.params,
    branching: input.params.upstreamPolicy === 'fleet' ? { REQUEST: input.params.workers } : {},
    down: [],
    up: [],
    inflight: [],
    waiting: [],
    idle: [],
    routed: 0,
    // Only a throttling proxy has a bucket: every other context stays as it was without one.
    ...(input.params.throttleRate != null ? { throttle: bucketOf(input.params.throttleRate, input.params.throttleBurst) } : {}),
  }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        CONNECT: { guard: 'fromDownstream', actions: 'acceptDownstream' },
        REQUEST: [
          { guard: and(['knownDownstream', 'overThrottle']), actions: 'throttleRequest' },
          { guard: and(['knownDownstream', 'pinnedUpstreamIdle']), actions: { type: 'routeRequest', params: { via: 'pinned' } } },
          { guard: and(['knownDownstream', 'idleUpstreamAvailable']), actions: { type: 'routeRequest', params: { via: 'idle' } } },
          { guard: and(['knownDownstream', 'mayOpenUpstream']), actions: { type: 'routeRequest', params: { via: 'new' } } },
          { guard: 'knownDownstream', actions: { type: 'routeRequest', params: { via: 'wait' } } },
        ],
        RESPONSE: [
          { guard: 'answersLiveRequest', actions: 'relayResponse' },
          { guard: 'knownUpstream', actions: 'releaseStaleUpstream' },
        ],
        TIMER: [
          { guard: { type: 'timerIs', params: { prefix: 'req:' } }, actions: 'timeOutRequest' },
          { guard: { type: 'timerIs', params: { prefix: 'acquire:' } }, actions: 'failAcquire' },
          { guard: { type: 'timerIs', params: { prefix: 'first:' } }, actions: 'closeUnusedDownstream' },
          { guard: { type: 'timerIs', params: { prefix: 'idle:' } }, actions: 'closeIdleDownstream' },
          { guard: { type: 'timerIs', params: { prefix: 'upidle:' } }, actions: 'closeIdleUpstream' },
          { guard: and([{ type: 'timerIs', params: { prefix: 'throttle' } }, 'hasThrottle']), actions: 'refillThrottle' },
        ],
        // The control plane: an operator changes the throttle (switching it on, off, or to another rate).
        THROTTLE: { actions: 'changeThrottle' },
        CLOSE: [
          { guard: 'knownDownstream', actions: 'dropDownstream' },
          { guard: 'knownUpstream', actions: 'dropUpstream' },
        ],
        RESET: [
          { guard: 'knownDownstream', actions: 'dropDownstream' },
          { guard: 'knownUpstream', actions: 'dropUpstream' },
        ],
      },
    },
  },
});

/**
 * The branches of a request at a fleet worth exploring: one per worker that
 * holds a connection or a request, and one for a worker that holds nothing
 * (every such worker is interchangeable), as `fleetWorker` maps picks to workers.
 */
function distinctWorkers(context: Readonly<Record<string, unknown>>, branches: number): number[] {
  const ctx = context as unknown as Ctx;
  if (ctx.params.upstreamPolicy !== 'fleet') return Array.from({ length: branches }, (_, p) => p);
  const busy = new Set<number>();
  for (const u of ctx.up) busy.add(u.worker);
  for (const f of ctx.inflight) busy.add(f.worker);
  const picks: number[] = [];
  let free = false;
  for (let p = 0; p < branches; p++) {
    const w = fleetWorker(ctx, p);
    if (busy.has(w)) picks.push(p);
    else if (!free) {
      free = true;
      picks.push(p);
    }
  }
  return picks;
}

export const l7ProxyDescriptor = describeMachine<L7ProxyParams>()({
  kind: 'l7Proxy',
  fileKind: 'proxy',
  about:
    'an L7 proxy or gateway (CloudFront, API Gateway, NGINX, Envoy, ALB, an app with a connection pool): terminates connections and forwards each request on a connection of its own',
  role: 'proxy',
  machine: l7Proxy,
  params: {
    fields: {
      upstreamPolicy: choice(
        ['pinned', 'pooled', 'fleet', 'perRequest'],
        'How a request finds its upstream connection. pinned: one upstream connection per client-side connection, living and dying with it (the "1 connection stays 1" belief); pooled: reuse any idle upstream connection, else open one (upstream keep-alive on); fleet: `workers` independent workers, each request lands on any of them, each pools on its own (API Gateway); perRequest: a new upstream connection per request, closed after the response (upstream keep-alive off, NGINX HTTP/1.0 default).',
      ),
      workers: whole(1, MAX_BRANCHES, false).describe('fleet: number of independent workers, each with its own pool (ignored by other policies).'),
      spread: flag(
        "fleet: true makes the schedule's default choice put each request on the next worker in rotation, as a large fleet does (every worker stays reachable either way). Default false.",
      ),
      reuse: choice(
        ['mru', 'lru', 'oldest'],
        'Which idle pooled upstream connection a request reuses: mru, the most recently released (NGINX keepalive cache, sequelize-pool); lru, the least recently released; oldest, the longest open.',
      ),
      maxUpstream: whole(1, 100_000, true).describe('Most upstream connections one worker may hold; further requests wait (a connection pool max). null: unbounded.'),
      acquireTimeout: timeout('A request waiting for an upstream connection fails with 503 after this long (a pool acquire timeout)'),
      upstreamIdleTimeout: timeout('Close a pooled upstream connection idle this long (upstream keep-alive timeout, a pool idle timeout)'),
      firstRequestTimeout: timeout('Close a client-side connection that has carried no request for this long (NGINX client_header_timeout)'),
      downstreamIdleTimeout: timeout('Close a client-side connection idle this long after a response (NGINX keepalive_timeout, Node.js server.keepAliveTimeout, ALB idle timeout)'),
      downstreamMaxRequests: whole(1, 1_000_000, true).describe(
        'After this many requests on one client-side connection, answer with Connection: close (NGINX keepalive_requests). null: no limit.',
      ),
      requestTimeout: timeout('Answer `timeoutStatus` when the upstream has not answered within this (API Gateway integration timeout, proxy_read_timeout)'),
      timeoutStatus: whole(400, 599, false).describe('The status sent to the client when `requestTimeout` expires (504).'),
      connectAttempts: whole(1, 10, false).describe('Attempts to connect upstream for one request when the connection is refused, then 502 (CloudFront connection attempts: 3).'),
      timeoutAttempts: whole(1, 10, false).describe('Attempts for a GET or HEAD whose upstream did not answer within requestTimeout, then timeoutStatus (CloudFront: 3).'),
      retryCachedFailures: flag(
        "Send a request lost on a reused upstream connection again on a new one, unless it is a POST or PATCH (NGINX proxy_next_upstream error: a cached connection's failure does not count as a try).",
      ),
      cancelOnAbandon: flag(
        'When the client side goes away under a request, close its upstream connection (true, NGINX); false: the upstream finishes the request and is reused (a database query cannot be cancelled).',
      ),
      throttleRate: whole(1, 1_000_000, true).describe(
        'Requests per second a token bucket lets through; above it a request is answered 429 at once (API Gateway throttling). null: no throttle.',
      ),
      throttleBurst: whole(1, 1_000_000, true).describe('The token bucket size: requests let through at once above throttleRate. null: one second of throttleRate.'),
    },
    composed: [],
    defaults: {
      upstreamPolicy: 'pooled',
      workers: 1,
      reuse: 'mru',
      maxUpstream: null,
      acquireTimeout: null,
      upstreamIdleTimeout: null,
      firstRequestTimeout: null,
      downstreamIdleTimeout: null,
      downstreamMaxRequests: null,
      requestTimeout: null,
      timeoutStatus: 504,
      connectAttempts: 1,
      timeoutAttempts: 1,
      retryCachedFailures: false,
      cancelOnAbandon: true,
    },
    sources: {
      upstreamPolicy: { source: 'assumption', ref: 'a file without a preset must set it' },
      workers: { source: 'assumption', ref: 'one worker: only a fleet has more' },
      reuse: { source: 'assumption', ref: 'most recently released first, as NGINX and sequelize-pool do' },
      maxUpstream: { source: 'assumption', ref: 'no limit unless a preset or file gives one' },
      acquireTimeout: { source: 'assumption', ref: 'no limit, so nothing waits' },
      upstreamIdleTimeout: { source: 'assumption', ref: 'no idle timeout unless a preset or file gives one' },
      firstRequestTimeout: { source: 'assumption', ref: 'no timeout unless a preset or file gives one' },
      downstreamIdleTimeout: { source: 'assumption', ref: 'no idle timeout unless a preset or file gives one' },
      downstreamMaxRequests: { source: 'assumption', ref: 'no limit unless a preset or file gives one' },
      requestTimeout: { source: 'assumption', ref: 'no timeout unless a preset or file gives one' },
      timeoutStatus: { source: 'doc', ref: 'RFC 9110 §15.6.5: 504 Gateway Timeout' },
      connectAttempts: { source: 'assumption', ref: 'one attempt: no retry unless a preset or file says so' },
      timeoutAttempts: { source: 'assumption', ref: 'one attempt: no retry unless a preset or file says so' },
      retryCachedFailures: { source: 'assumption', ref: 'no retry unless a preset or file says so' },
      cancelOnAbandon: { source: 'assumption', ref: 'a proxy closes the upstream of an abandoned request' },
      throttleRate: { source: 'assumption', ref: 'no throttle unless a preset, file or scenario sets one' },
      throttleBurst: { source: 'assumption', ref: 'one second of the rate unless a preset, file or scenario sets one' },
    },
    required: ['upstreamPolicy'],
  },
  input: (params) => ({ params }),
  ids: [
    { path: 'up[].worker', role: 'worker' },
    { path: 'inflight[].worker', role: 'worker' },
    { path: 'routed', role: 'ignore' },
  ],
  counters: ['down[].served', 'up[].served', 'inflight[].connectTries', 'inflight[].timeoutTries'],
  workers: (params) => (params.upstreamPolicy === 'fleet' ? params.workers : null),
  parks: false,
  // Pools and waiting lists are shared by every client-side connection.
  footprint: {},
  distinctPicks: (context, type, branches) =>
    type === 'REQUEST' ? distinctWorkers(context, branches) : Array.from({ length: branches }, (_, p) => p),
  closesIdle: (key) => key.startsWith('idle:') || key.startsWith('upidle:') || key.startsWith('first:'),
  brief: (params) => (params.upstreamPolicy === 'fleet' ? `fleet of ${params.workers}` : params.upstreamPolicy),
  variant: (params) => params.upstreamPolicy,
  describeConnections: (context) => describeProxyConnections(context as unknown as Ctx),
});

/** Client-side connections, then upstream ones: active while a request is on them, else idle. */
function describeProxyConnections(ctx: Ctx): ConnectionView[] {
  const fleet = ctx.params.upstreamPolicy === 'fleet';
  const down = ctx.down.map((d): ConnectionView => {
    const notes = [d.busy !== null ? d.busy : null, d.pinned !== null ? `pinned to ${d.pinned}` : null].filter((x) => x !== null);
    return { conn: d.id, side: 'down', status: d.busy !== null ? 'active' : 'idle', ...(notes.length > 0 ? { detail: notes.join(', ') } : {}) };
  });
  const up = ctx.up.map((u): ConnectionView => {
    const notes = [u.busy, fleet ? `worker ${u.worker}` : null].filter((x) => x !== null);
    return { conn: u.id, side: 'up', status: u.busy !== null ? 'active' : 'idle', ...(notes.length > 0 ? { detail: notes.join(', ') } : {}) };
  });
  return [...down, ...up];
}
