import { and, setup } from 'xstate';
import { choice, flag, MAX_BRANCHES, timeout, whole } from '../params/fields.js';
import { describeMachine, type ConnectionView } from './descriptor.js';
import { eventOf, reaction, type Reaction } from './reaction.js';
import {
  HTTP_BAD_GATEWAY,
  HTTP_SERVICE_UNAVAILABLE,
  type Effect,
  type KernelVisibleContext,
  type TierEvent,
} from './vocabulary.js';

/**
 * An L7 proxy: terminates client-side connections and forwards each request on
 * a connection of its own to the next tier. CloudFront, API Gateway, NGINX and
 * the Node.js app (whose "upstream" is its database pool) are all presets of it.
 *
 * How a request finds its upstream connection is the policy under test:
 * - `pinned`: each client-side connection gets one upstream connection of its
 *   own, and the two live and die together (the team's belief about every tier);
 * - `pooled`: reuse any idle upstream connection, else open one;
 * - `fleet`: `workers` independent workers, each request lands on any of them
 *   (a schedule choice), each worker pools on its own (API Gateway);
 * - `perRequest`: a new upstream connection per request, closed after the
 *   response (NGINX's HTTP/1.0 default towards its upstream).
 */
export type UpstreamPolicy = 'pinned' | 'pooled' | 'fleet' | 'perRequest';

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
  /** Most upstream connections one worker may hold; further requests wait (null: unbounded). */
  maxUpstream: number | null;
  /** A request waiting for an upstream connection fails with 503 after this (null: waits forever). */
  acquireTimeout: number | null;
  /** Close a pooled upstream connection idle this long (null: never). */
  upstreamIdleTimeout: number | null;
  /** Close a client-side connection idle this long (nginx keepalive_timeout; null: never). */
  downstreamIdleTimeout: number | null;
  /** After this many requests on one client-side connection, answer with `Connection: close` (null: no limit). */
  downstreamMaxRequests: number | null;
  /** Answer `timeoutStatus` when the upstream has not answered within this (null: wait forever). */
  requestTimeout: number | null;
  timeoutStatus: number;
}

interface DownConn {
  id: string;
  served: number;
  busy: string | null;
  pinned: string | null;
}
interface UpConn {
  id: string;
  worker: number;
  busy: string | null;
  pinnedTo: string | null;
}
interface Inflight {
  req: string;
  down: string;
  up: string | null;
  worker: number;
}

export interface L7ProxyContext extends KernelVisibleContext {
  params: L7ProxyParams;
  down: DownConn[];
  up: UpConn[];
  inflight: Inflight[];
  /** Requests waiting for an upstream connection, oldest first. */
  waiting: string[];
  /** Requests routed so far (the rotation of a `spread` fleet). */
  routed: number;
}

export interface L7ProxyInput {
  params: L7ProxyParams;
}

type Ctx = L7ProxyContext;

const idleKey = (conn: string) => `idle:${conn}`;
const upIdleKey = (conn: string) => `upidle:${conn}`;
const requestKey = (req: string) => `req:${req}`;
const acquireKey = (req: string) => `acquire:${req}`;

/** The worker a request lands on, given the schedule's branch `pick`. */
function fleetWorker(ctx: { params: Pick<L7ProxyParams, 'upstreamPolicy' | 'workers' | 'spread'>; routed?: number }, pick: number): number {
  if (ctx.params.upstreamPolicy !== 'fleet') return 0;
  return (pick + (ctx.params.spread ? (ctx.routed ?? 0) : 0)) % ctx.params.workers;
}
function workerFor(ctx: Ctx, event: TierEvent): number {
  return fleetWorker(ctx, event.pick);
}
function downOf(ctx: Ctx, id: string | undefined): DownConn | undefined {
  return ctx.down.find((d) => d.id === id);
}
function upOf(ctx: Ctx, id: string | null | undefined): UpConn | undefined {
  return ctx.up.find((u) => u.id === id);
}
/** The idle pooled connection a request would reuse: the longest-open idle one of its worker. */
function idleUpstream(ctx: Ctx, worker: number): UpConn | undefined {
  return ctx.up.find((u) => u.worker === worker && u.busy === null && u.pinnedTo === null);
}
function pooled(ctx: Ctx): boolean {
  return ctx.params.upstreamPolicy === 'pooled' || ctx.params.upstreamPolicy === 'fleet';
}

/** A small mutable builder over a copy of the context, so reactions read like the protocol. */
class Work {
  readonly ctx: Ctx;
  readonly effects: Effect[] = [];
  constructor(ctx: Ctx) {
    this.ctx = {
      ...ctx,
      down: ctx.down.map((d) => ({ ...d })),
      up: ctx.up.map((u) => ({ ...u })),
      inflight: ctx.inflight.map((f) => ({ ...f })),
      waiting: [...ctx.waiting],
    };
  }
  done(): Reaction<Ctx> {
    return { context: this.ctx, effects: this.effects };
  }
  emit(e: Effect) {
    this.effects.push(e);
  }
  armIdle(d: DownConn) {
    const t = this.ctx.params.downstreamIdleTimeout;
    if (t !== null) this.emit({ type: 'setTimer', key: idleKey(d.id), after: t });
  }
  armUpIdle(u: UpConn) {
    const t = this.ctx.params.upstreamIdleTimeout;
    if (t !== null && pooled(this.ctx)) this.emit({ type: 'setTimer', key: upIdleKey(u.id), after: t });
  }
  forward(f: Inflight, u: UpConn) {
    u.busy = f.req;
    f.up = u.id;
    this.emit({ type: 'cancelTimer', key: upIdleKey(u.id) });
    this.emit({ type: 'send', conn: u.id, to: 'up', msg: { kind: 'request', req: f.req } });
  }
  /**
   * Answer `f` on its client-side connection and free that connection for the
   * next request. `closing`: the answer carries `Connection: close` whatever
   * the request count (the client side's pinned upstream is closing).
   */
  answer(f: Inflight, status: number, closing = false) {
    this.ctx.inflight = this.ctx.inflight.filter((x) => x !== f);
    this.ctx.waiting = this.ctx.waiting.filter((r) => r !== f.req);
    this.emit({ type: 'cancelTimer', key: requestKey(f.req) });
    this.emit({ type: 'cancelTimer', key: acquireKey(f.req) });
    const d = downOf(this.ctx, f.down);
    if (!d) return;
    d.busy = null;
    const max = this.ctx.params.downstreamMaxRequests;
    const atMax = max !== null && d.served >= max;
    const close = atMax || closing;
    if (atMax) this.emit({ type: 'log', what: 'max-requests', conn: d.id, req: f.req, detail: `${d.served} requests served` });
    this.emit({ type: 'send', conn: d.id, to: 'down', msg: { kind: 'response', req: f.req, status, close } });
    if (close) this.closeDown(d, atMax ? 'keepalive_requests reached' : 'pinned upstream answered with Connection: close');
    else this.armIdle(d);
  }
  closeDown(d: DownConn, detail: string) {
    this.ctx.down = this.ctx.down.filter((x) => x !== d);
    this.emit({ type: 'cancelTimer', key: idleKey(d.id) });
    this.emit({ type: 'close', conn: d.id, to: 'down', detail });
    const u = upOf(this.ctx, d.pinned);
    if (u) this.closeUp(u, 'pinned peer closed');
  }
  closeUp(u: UpConn, detail: string) {
    if (!this.ctx.up.includes(u)) return; // already closed in this reaction (a pinned pair closes from both ends)
    this.ctx.up = this.ctx.up.filter((x) => x !== u);
    this.emit({ type: 'cancelTimer', key: upIdleKey(u.id) });
    this.emit({ type: 'close', conn: u.id, to: 'up', detail });
  }
  /** An upstream connection finished its request: hand it to a waiting request, idle it, or close it. */
  release(u: UpConn) {
    u.busy = null;
    const policy = this.ctx.params.upstreamPolicy;
    if (policy === 'perRequest') return this.closeUp(u, 'one request per connection');
    if (policy === 'pinned') return;
    const next = this.ctx.waiting
      .map((r) => this.ctx.inflight.find((f) => f.req === r)!)
      .find((f) => f.worker === u.worker);
    if (next) {
      this.ctx.waiting = this.ctx.waiting.filter((r) => r !== next.req);
      this.emit({ type: 'cancelTimer', key: acquireKey(next.req) });
      this.forward(next, u);
    } else {
      this.armUpIdle(u);
    }
  }
  /**
   * A pooled connection of `worker` went away (dropped, abandoned, timed out):
   * if a request of that worker waits for the pool, open a connection for it,
   * as sequelize-pool does when it drops below its maximum. At most one per
   * event, since an event brings one fresh connection id.
   */
  refill(worker: number, nextConn: string) {
    if (!pooled(this.ctx) || this.effects.some((e) => e.type === 'open')) return;
    const max = this.ctx.params.maxUpstream;
    if (max !== null && this.ctx.up.filter((u) => u.worker === worker).length >= max) return;
    const next = this.ctx.waiting
      .map((r) => this.ctx.inflight.find((f) => f.req === r)!)
      .find((f) => f.worker === worker);
    if (!next) return;
    this.ctx.waiting = this.ctx.waiting.filter((r) => r !== next.req);
    this.emit({ type: 'cancelTimer', key: acquireKey(next.req) });
    const u: UpConn = { id: nextConn, worker, busy: null, pinnedTo: null };
    this.ctx.up.push(u);
    this.emit({ type: 'open', conn: u.id, req: next.req, detail: `pool slot freed for waiting ${next.req}` });
    this.forward(next, u);
  }
  /** A request's upstream side is gone: if still in flight, answer it with `status`. */
  failUpstream(u: UpConn, status: number) {
    const f = this.ctx.inflight.find((x) => x.up === u.id);
    // A pinned client side closes with its upstream: say so on the error response.
    if (f) this.answer(f, status, u.pinnedTo !== null);
    if (u.pinnedTo !== null) {
      const d = downOf(this.ctx, u.pinnedTo);
      if (d) {
        d.pinned = null;
        this.closeDown(d, 'pinned peer closed');
      }
    }
  }
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
      const d: DownConn = { id: eventOf(event, 'CONNECT').conn, served: 0, busy: null, pinned: null };
      w.ctx.down.push(d);
      w.armIdle(d);
      return w.done();
    }),
    routeRequest: reaction<Ctx, { via: Via }>((ctx, event, { via }) => {
      const e = eventOf(event, 'REQUEST');
      const w = new Work(ctx);
      const d = downOf(w.ctx, e.conn)!;
      const worker = workerFor(ctx, e);
      const f: Inflight = { req: e.req, down: d.id, up: null, worker };
      d.served += 1;
      d.busy = e.req;
      // Only a spread fleet reads the count; elsewhere it would only split otherwise equal states.
      if (ctx.params.spread) w.ctx.routed = (ctx.routed ?? 0) + 1;
      w.ctx.inflight.push(f);
      w.emit({ type: 'cancelTimer', key: idleKey(d.id) });
      if (ctx.params.requestTimeout !== null)
        w.emit({ type: 'setTimer', key: requestKey(e.req), after: ctx.params.requestTimeout });
      const where = ctx.params.upstreamPolicy === 'fleet' ? `worker ${worker}` : ctx.params.upstreamPolicy;
      if (via === 'pinned') {
        w.emit({ type: 'log', what: 'route', req: e.req, conn: d.pinned!, detail: `${where} reuses its pinned connection` });
        w.forward(f, upOf(w.ctx, d.pinned)!);
      } else if (via === 'idle') {
        const u = idleUpstream(w.ctx, worker)!;
        w.emit({ type: 'log', what: 'route', req: e.req, conn: u.id, detail: `${where} reuses idle ${u.id}` });
        w.forward(f, u);
      } else if (via === 'new') {
        const pinned = ctx.params.upstreamPolicy === 'pinned';
        const u: UpConn = { id: e.nextConn, worker, busy: null, pinnedTo: pinned ? d.id : null };
        if (pinned) d.pinned = u.id;
        w.ctx.up.push(u);
        w.emit({ type: 'open', conn: u.id, req: e.req, detail: where });
        w.forward(f, u);
      } else {
        w.ctx.waiting.push(e.req);
        w.emit({ type: 'log', what: 'route', req: e.req, detail: `${where} waits: all ${ctx.params.maxUpstream} upstream connections busy` });
        if (ctx.params.acquireTimeout !== null)
          w.emit({ type: 'setTimer', key: acquireKey(e.req), after: ctx.params.acquireTimeout });
      }
      return w.done();
    }),
    relayResponse: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESPONSE');
      const w = new Work(ctx);
      const f = w.ctx.inflight.find((x) => x.req === e.req && x.up === e.conn)!;
      const u = upOf(w.ctx, e.conn);
      // `Connection: close` from upstream: that connection carries nothing more. A pinned
      // pair lives and dies together, so the client side is told to close too.
      const pinnedClose = e.close && u?.pinnedTo !== null && u?.pinnedTo !== undefined;
      w.answer(f, e.status, pinnedClose);
      if (u && w.ctx.up.includes(u)) {
        if (e.close) w.closeUp(u, 'upstream answered with Connection: close');
        else w.release(u);
      }
      return w.done();
    }),
    releaseStaleUpstream: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESPONSE');
      const w = new Work(ctx);
      const u = upOf(w.ctx, e.conn);
      if (u) {
        if (e.close) w.closeUp(u, 'upstream answered with Connection: close');
        else w.release(u);
      }
      return w.done();
    }),
    timeOutRequest: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const req = eventOf(event, 'TIMER').key.slice('req:'.length);
      const f = w.ctx.inflight.find((x) => x.req === req);
      if (!f) return w.done();
      w.emit({ type: 'log', what: 'timeout', req, conn: f.up ?? undefined, status: ctx.params.timeoutStatus, detail: 'upstream did not answer in time' });
      const u = upOf(w.ctx, f.up);
      // A pinned client side goes with its upstream, so the answer says `Connection: close`.
      w.answer(f, ctx.params.timeoutStatus, u !== undefined && u.pinnedTo !== null);
      // The upstream connection still owes a response, so it cannot carry another request: abandon it.
      if (u) {
        w.closeUp(u, 'abandoned after timeout');
        w.refill(u.worker, event.nextConn);
      }
      return w.done();
    }),
    failAcquire: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const req = eventOf(event, 'TIMER').key.slice('acquire:'.length);
      const f = w.ctx.inflight.find((x) => x.req === req);
      if (!f) return w.done();
      w.emit({ type: 'log', what: 'timeout', req, status: HTTP_SERVICE_UNAVAILABLE, detail: 'no upstream connection became free' });
      w.answer(f, HTTP_SERVICE_UNAVAILABLE);
      return w.done();
    }),
    closeIdleDownstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const d = downOf(w.ctx, eventOf(event, 'TIMER').key.slice('idle:'.length));
      if (!d) return w.done();
      w.emit({ type: 'log', what: 'idle-close', conn: d.id, detail: `idle ${ctx.params.downstreamIdleTimeout} ms` });
      w.closeDown(d, 'keep-alive idle timeout');
      return w.done();
    }),
    closeIdleUpstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const u = upOf(w.ctx, eventOf(event, 'TIMER').key.slice('upidle:'.length));
      if (!u) return w.done();
      w.emit({ type: 'log', what: 'idle-close', conn: u.id, detail: `idle ${ctx.params.upstreamIdleTimeout} ms` });
      w.closeUp(u, 'pool idle timeout');
      return w.done();
    }),
    dropDownstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const conn = event.type === 'CLOSE' || event.type === 'RESET' ? event.conn : '';
      const d = downOf(w.ctx, conn)!;
      w.ctx.down = w.ctx.down.filter((x) => x !== d);
      w.emit({ type: 'cancelTimer', key: idleKey(d.id) });
      const f = w.ctx.inflight.find((x) => x.down === d.id);
      if (f) {
        w.emit({ type: 'log', what: 'abandon', req: f.req, conn: d.id, detail: 'client side went away' });
        w.ctx.inflight = w.ctx.inflight.filter((x) => x !== f);
        w.ctx.waiting = w.ctx.waiting.filter((r) => r !== f.req);
        w.emit({ type: 'cancelTimer', key: requestKey(f.req) });
        w.emit({ type: 'cancelTimer', key: acquireKey(f.req) });
        const u = upOf(w.ctx, f.up);
        if (u) {
          w.closeUp(u, 'request abandoned');
          w.refill(u.worker, event.nextConn);
        }
      }
      const pinned = upOf(w.ctx, d.pinned);
      if (pinned) w.closeUp(pinned, 'pinned peer closed');
      return w.done();
    }),
    dropUpstream: reaction<Ctx>((ctx, event) => {
      const w = new Work(ctx);
      const conn = event.type === 'CLOSE' || event.type === 'RESET' ? event.conn : '';
      const u = upOf(w.ctx, conn)!;
      w.ctx.up = w.ctx.up.filter((x) => x !== u);
      w.emit({ type: 'cancelTimer', key: upIdleKey(u.id) });
      w.failUpstream(u, HTTP_BAD_GATEWAY);
      w.refill(u.worker, event.nextConn);
      return w.done();
    }),
  },
  guards: {
    fromDownstream: ({ event }) => 'side' in event && event.side === 'down',
    fromUpstream: ({ event }) => 'side' in event && event.side === 'up',
    knownDownstream: ({ context, event }) => 'conn' in event && downOf(context, event.conn) !== undefined,
    knownUpstream: ({ context, event }) => 'conn' in event && upOf(context, event.conn) !== undefined,
    pinnedUpstreamIdle: ({ context, event }) => {
      if (context.params.upstreamPolicy !== 'pinned' || event.type !== 'REQUEST') return false;
      const u = upOf(context, downOf(context, event.conn)?.pinned);
      return u !== undefined && u.busy === null;
    },
    idleUpstreamAvailable: ({ context, event }) =>
      pooled(context) && idleUpstream(context, workerFor(context, event)) !== undefined,
    mayOpenUpstream: ({ context, event }) => {
      const p = context.params;
      if (p.upstreamPolicy === 'perRequest') return true;
      if (p.upstreamPolicy === 'pinned') return event.type === 'REQUEST' && downOf(context, event.conn)?.pinned === null;
      const worker = workerFor(context, event);
      return p.maxUpstream === null || context.up.filter((u) => u.worker === worker).length < p.maxUpstream;
    },
    answersLiveRequest: ({ context, event }) =>
      event.type === 'RESPONSE' && context.inflight.some((f) => f.req === event.req && f.up === event.conn),
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
    routed: 0,
  }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        CONNECT: { guard: 'fromDownstream', actions: 'acceptDownstream' },
        REQUEST: [
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
          { guard: { type: 'timerIs', params: { prefix: 'idle:' } }, actions: 'closeIdleDownstream' },
          { guard: { type: 'timerIs', params: { prefix: 'upidle:' } }, actions: 'closeIdleUpstream' },
        ],
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
      maxUpstream: whole(1, 100_000, true).describe('Most upstream connections one worker may hold; further requests wait (a connection pool max). null: unbounded.'),
      acquireTimeout: timeout('A request waiting for an upstream connection fails with 503 after this long (a pool acquire timeout)'),
      upstreamIdleTimeout: timeout('Close a pooled upstream connection idle this long (upstream keep-alive timeout, a pool idle timeout)'),
      downstreamIdleTimeout: timeout('Close a client-side connection idle this long (NGINX keepalive_timeout, Node.js server.keepAliveTimeout, ALB idle timeout)'),
      downstreamMaxRequests: whole(1, 1_000_000, true).describe(
        'After this many requests on one client-side connection, answer with Connection: close (NGINX keepalive_requests). null: no limit.',
      ),
      requestTimeout: timeout('Answer `timeoutStatus` when the upstream has not answered within this (API Gateway integration timeout, proxy_read_timeout)'),
      timeoutStatus: whole(400, 599, false).describe('The status sent to the client when `requestTimeout` expires (504).'),
    },
    composed: [],
    defaults: {
      upstreamPolicy: 'pooled',
      workers: 1,
      maxUpstream: null,
      acquireTimeout: null,
      upstreamIdleTimeout: null,
      downstreamIdleTimeout: null,
      downstreamMaxRequests: null,
      requestTimeout: null,
      timeoutStatus: 504,
    },
    sources: {
      upstreamPolicy: { source: 'assumption', ref: 'a file without a preset must set it' },
      workers: { source: 'assumption', ref: 'one worker: only a fleet has more' },
      timeoutStatus: { source: 'doc', ref: 'RFC 9110 §15.6.5: 504 Gateway Timeout' },
    },
    required: ['upstreamPolicy'],
  },
  input: (params) => ({ params }),
  ids: [
    { path: 'up[].worker', role: 'worker' },
    { path: 'inflight[].worker', role: 'worker' },
    { path: 'routed', role: 'ignore' },
  ],
  counters: ['down[].served'],
  workers: (params) => (params.upstreamPolicy === 'fleet' ? params.workers : null),
  parks: false,
  // Pools and waiting lists are shared by every client-side connection.
  footprint: {},
  distinctPicks: (context, type, branches) =>
    type === 'REQUEST' ? distinctWorkers(context, branches) : Array.from({ length: branches }, (_, p) => p),
  closesIdle: (key) => key.startsWith('idle:') || key.startsWith('upidle:'),
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
