import type { Reaction } from '../reaction.js';
import { HTTP_BAD_GATEWAY, isIdempotent, type Effect, type Method } from '../vocabulary.js';
import {
  acquireKey,
  downOf,
  firstKey,
  idleKey,
  idleUpstream,
  pooled,
  requestKey,
  upIdleKey,
  upOf,
  type Ctx,
  type DownConn,
  type Inflight,
  type UpConn,
} from './context.js';

/** Safe methods: what CloudFront sends again after a response timeout (GET and HEAD). */
const isSafe = (m: Method) => m === 'GET' || m === 'HEAD' || m === 'OPTIONS';

/**
 * A small mutable builder over a copy of the context, so reactions read like
 * the protocol. Its lists are copied as references, and a connection or
 * request is copied when this reaction first looks it up (`down`, `up`,
 * `flight`, `idleFor`), so that an event costs what it touches rather than a
 * copy of every connection (a gateway holds thousands at production load),
 * and the context it started from stays as it was (exploration keeps it).
 * Elements are only ever taken through those lookups, so every reference a
 * reaction holds is the one in the lists.
 */
export class Work {
  readonly ctx: Ctx;
  readonly effects: Effect[] = [];
  private readonly owned = new Set<object>();
  constructor(ctx: Ctx) {
    this.ctx = {
      ...ctx,
      down: ctx.down.slice(),
      up: ctx.up.slice(),
      inflight: ctx.inflight.slice(),
      waiting: ctx.waiting.slice(),
      idle: ctx.idle.slice(),
    };
  }
  /** `x`, an element of `list`, as this reaction's own copy (in the list in its place). */
  private own<T extends object>(list: T[], x: T | undefined): T | undefined {
    if (x === undefined || this.owned.has(x)) return x;
    const at = list.indexOf(x);
    if (at < 0) throw new Error('l7Proxy: a connection or request looked up outside its list');
    const copy = { ...x };
    list[at] = copy;
    this.owned.add(copy);
    return copy;
  }
  /** Adds a connection or request this reaction created. */
  add<T extends object>(list: T[], x: T): T {
    list.push(x);
    this.owned.add(x);
    return x;
  }
  down(id: string | null | undefined): DownConn | undefined {
    return this.own(this.ctx.down, downOf(this.ctx, id));
  }
  up(id: string | null | undefined): UpConn | undefined {
    return this.own(this.ctx.up, upOf(this.ctx, id));
  }
  flight(which: (f: Inflight) => boolean): Inflight | undefined {
    return this.own(this.ctx.inflight, this.ctx.inflight.find(which));
  }
  /** The idle pooled connection a request of `worker` reuses (`idleUpstream`). */
  idleFor(worker: number): UpConn | undefined {
    return this.own(this.ctx.up, idleUpstream(this.ctx, worker));
  }
  /** The oldest request waiting for a connection of `worker`. */
  private waitingFor(worker: number): Inflight | undefined {
    if (this.ctx.waiting.length === 0) return undefined;
    // The first record of each request, as a search of the list finds it.
    const byReq = new Map<string, Inflight>();
    for (const f of this.ctx.inflight) if (!byReq.has(f.req)) byReq.set(f.req, f);
    const next = this.ctx.waiting.map((r) => byReq.get(r)!).find((f) => f.worker === worker);
    return this.own(this.ctx.inflight, next);
  }
  done(): Reaction<Ctx> {
    return { context: this.ctx, effects: this.effects };
  }
  emit(e: Effect) {
    this.effects.push(e);
  }
  /** Whether this reaction already opened a connection: an event brings one fresh connection id. */
  get opened(): boolean {
    return this.effects.some((e) => e.type === 'open');
  }
  armFirst(d: DownConn) {
    const t = this.ctx.params.firstRequestTimeout;
    if (t !== null) this.emit({ type: 'setTimer', key: firstKey(d.id), after: t });
  }
  armIdle(d: DownConn) {
    const t = this.ctx.params.downstreamIdleTimeout;
    if (t !== null) this.emit({ type: 'setTimer', key: idleKey(d.id), after: t });
  }
  /** A pooled connection goes idle: it joins the idle list (release order) and its idle timer starts. */
  idleUp(u: UpConn) {
    this.ctx.idle = [...this.ctx.idle.filter((id) => id !== u.id), u.id];
    const t = this.ctx.params.upstreamIdleTimeout;
    if (t !== null) this.emit({ type: 'setTimer', key: upIdleKey(u.id), after: t });
  }
  forward(f: Inflight, u: UpConn) {
    u.busy = f.req;
    u.served += 1;
    f.up = u.id;
    this.ctx.idle = this.ctx.idle.filter((id) => id !== u.id);
    this.emit({ type: 'cancelTimer', key: upIdleKey(u.id) });
    this.emit({ type: 'send', conn: u.id, to: 'up', msg: { kind: 'request', req: f.req, method: f.method } });
  }
  /** Opens a new upstream connection for `f` (id `conn`) and sends it there. */
  openFor(f: Inflight, conn: string, detail: string, pinnedTo: string | null = null): UpConn {
    const u = this.add<UpConn>(this.ctx.up, { id: conn, worker: f.worker, busy: null, pinnedTo, served: 0 });
    this.emit({ type: 'open', conn: u.id, req: f.req, detail });
    this.forward(f, u);
    return u;
  }
  /** Answer `f` on its client-side connection (if it is still there) and free that connection for the next request. */
  answer(f: Inflight, status: number) {
    this.ctx.inflight = this.ctx.inflight.filter((x) => x !== f);
    this.ctx.waiting = this.ctx.waiting.filter((r) => r !== f.req);
    this.emit({ type: 'cancelTimer', key: requestKey(f.req) });
    this.emit({ type: 'cancelTimer', key: acquireKey(f.req) });
    const d = this.down(f.down);
    if (!d) return;
    this.respond(d, f.req, status);
  }
  /** Sends the answer to `req` on its client-side connection, which is then free: idle again, or closed at keepalive_requests. */
  respond(d: DownConn, req: string, status: number) {
    d.busy = null;
    const max = this.ctx.params.downstreamMaxRequests;
    const atMax = max !== null && d.served >= max;
    if (atMax) this.emit({ type: 'log', what: 'max-requests', conn: d.id, req, detail: `${d.served} requests served` });
    this.emit({ type: 'send', conn: d.id, to: 'down', msg: { kind: 'response', req, status, close: atMax } });
    if (atMax) this.closeDown(d, 'keepalive_requests reached');
    else this.armIdle(d);
  }
  closeDown(d: DownConn, detail: string) {
    this.ctx.down = this.ctx.down.filter((x) => x !== d);
    this.emit({ type: 'cancelTimer', key: firstKey(d.id) });
    this.emit({ type: 'cancelTimer', key: idleKey(d.id) });
    this.emit({ type: 'close', conn: d.id, to: 'down', detail });
    // The belief: a pinned upstream lives as long as its client side.
    const u = this.up(d.pinned);
    if (u && u.busy === null) this.closeUp(u, 'its client connection closed');
  }
  /** Forgets an upstream connection: no longer pooled, pinned or timed. */
  forgetUp(u: UpConn) {
    this.ctx.up = this.ctx.up.filter((x) => x !== u);
    this.ctx.idle = this.ctx.idle.filter((id) => id !== u.id);
    this.emit({ type: 'cancelTimer', key: upIdleKey(u.id) });
    const d = this.own(this.ctx.down, this.ctx.down.find((x) => x.pinned === u.id));
    if (d) d.pinned = null;
  }
  closeUp(u: UpConn, detail: string) {
    if (!this.ctx.up.includes(u)) return;
    this.forgetUp(u);
    this.emit({ type: 'close', conn: u.id, to: 'up', detail });
  }
  /** An upstream connection finished its request: hand it to a waiting request, idle it, or close it. */
  release(u: UpConn) {
    u.busy = null;
    const policy = this.ctx.params.upstreamPolicy;
    if (policy === 'perRequest') return this.closeUp(u, 'one request per connection');
    if (policy === 'pinned') {
      // Its client side went away while the request was out: nobody will reuse it.
      if (!this.ctx.down.some((d) => d.pinned === u.id)) this.closeUp(u, 'its client connection closed');
      return;
    }
    const next = this.waitingFor(u.worker);
    if (next) {
      this.ctx.waiting = this.ctx.waiting.filter((r) => r !== next.req);
      this.emit({ type: 'cancelTimer', key: acquireKey(next.req) });
      this.forward(next, u);
    } else {
      this.idleUp(u);
    }
  }
  /**
   * A pooled connection of `worker` went away (dropped, abandoned, timed out):
   * if a request of that worker waits for the pool, open a connection for it,
   * as sequelize-pool does when it drops below its maximum.
   */
  refill(worker: number, nextConn: string) {
    if (!pooled(this.ctx) || this.opened) return;
    const max = this.ctx.params.maxUpstream;
    if (max !== null && this.ctx.up.filter((u) => u.worker === worker).length >= max) return;
    const next = this.waitingFor(worker);
    if (!next) return;
    this.ctx.waiting = this.ctx.waiting.filter((r) => r !== next.req);
    this.emit({ type: 'cancelTimer', key: acquireKey(next.req) });
    this.openFor(next, nextConn, `pool slot freed for waiting ${next.req}`);
  }
  /**
   * The upstream connection of `f` went away under it (closed, reset or
   * refused). Send it again on a new connection (`nextConn`) when the proxy
   * does: a refused connection while connection attempts remain; a reused
   * connection's failure for an idempotent request. Otherwise answer 502.
   */
  upstreamLost(f: Inflight, u: UpConn, refused: boolean, nextConn: string) {
    if (f.down === null) {
      // Nobody waits for it any more.
      this.ctx.inflight = this.ctx.inflight.filter((x) => x !== f);
      return;
    }
    const p = this.ctx.params;
    const again = refused
      ? f.connectTries + 1 < p.connectAttempts
      : p.retryCachedFailures && u.served > 1 && isIdempotent(f.method);
    if (again && !this.opened) {
      if (refused) f.connectTries += 1;
      const why = refused
        ? `connection ${u.id} refused; attempt ${f.connectTries + 1} of ${p.connectAttempts}`
        : `reused connection ${u.id} lost under ${f.method} ${f.req}: a cached connection's failure is retried (proxy_next_upstream error)`;
      this.emit({ type: 'log', what: 'retry', req: f.req, conn: u.id, detail: why });
      const d = this.down(f.down);
      const pin = p.upstreamPolicy === 'pinned' && d ? d.id : null;
      const next = this.openFor(f, nextConn, `retry of ${f.req}`, pin);
      if (pin && d) d.pinned = next.id;
      return;
    }
    this.answer(f, HTTP_BAD_GATEWAY);
  }
  /**
   * The request timer of `f` fired: a safe request with timed-out attempts
   * left goes again on a new connection; otherwise it is answered with the
   * timeout status. Either way its upstream connection still owes a
   * response, so it cannot carry another request: it is abandoned.
   */
  timedOut(f: Inflight, nextConn: string) {
    const p = this.ctx.params;
    const u = this.up(f.up);
    if (isSafe(f.method) && f.timeoutTries + 1 < p.timeoutAttempts && !this.opened) {
      f.timeoutTries += 1;
      if (u) this.closeUp(u, 'abandoned after timeout');
      this.emit({ type: 'log', what: 'retry', req: f.req, conn: u?.id, detail: `no response in ${p.requestTimeout} ms; attempt ${f.timeoutTries + 1} of ${p.timeoutAttempts}` });
      const d = this.down(f.down);
      const pin = p.upstreamPolicy === 'pinned' && d ? d.id : null;
      const next = this.openFor(f, nextConn, `retry of ${f.req}`, pin);
      if (pin && d) d.pinned = next.id;
      this.emit({ type: 'setTimer', key: requestKey(f.req), after: p.requestTimeout! });
      return;
    }
    this.emit({ type: 'log', what: 'timeout', req: f.req, conn: f.up ?? undefined, status: p.timeoutStatus, detail: 'upstream did not answer in time' });
    this.answer(f, p.timeoutStatus);
    if (u) {
      this.closeUp(u, 'abandoned after timeout');
      this.refill(u.worker, nextConn);
    }
  }
}
