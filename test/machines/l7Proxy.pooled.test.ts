/**
 * The l7Proxy machine with the `pooled` policy and a bounded pool: the app
 * preset (Node.js keepAliveTimeout 5 s; Sequelize pool max 5, idle 10 s,
 * acquire 60 s) and the cdn preset (unbounded pool).
 */
import { describe, expect, it } from 'vitest';
import { l7Proxy, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import { app } from '../../models/tiers/app.js';
import { appNode24, appNode26 } from '../../models/tiers/appNode.js';
import { cdn } from '../../models/tiers/cdn.js';
import { Driver, ev, only, wireEffects } from './drive.js';

interface Ctx {
  params: L7ProxyParams;
  down: { id: string; busy: string | null }[];
  up: { id: string; busy: string | null }[];
  inflight: { req: string; down: string; up: string | null }[];
  waiting: string[];
}

const down = (n: number) => `nginx>app#${n}`;
const up = (n: number) => `app>database#${n}`;

/** An app with `n` client-side connections, each carrying request `r<k>`; the first `maxUpstream` get pool connections. */
function busyApp(n: number, params: L7ProxyParams = app.params) {
  const p = new Driver<Ctx>(l7Proxy, { params });
  let opened = 0;
  for (let k = 1; k <= n; k++) {
    p.deliver(ev.connect(down(k)));
    const fx = p.deliver(ev.request(down(k), `r${k}`, 'down', { nextConn: up(opened + 1) }));
    opened += only(fx, 'open').length;
  }
  return p;
}

describe('l7Proxy as the app (pooled, max 5)', () => {
  it('has the Node.js and Sequelize defaults', () => {
    expect(app.params).toMatchObject({
      upstreamPolicy: 'pooled',
      maxUpstream: 5,
      acquireTimeout: 60_000,
      upstreamIdleTimeout: 10_000,
      downstreamIdleTimeout: 5_000,
    });
  });

  // Node.js: keepAliveTimeout is "inactivity ... after it has finished writing the last response".
  it('arms no keep-alive timer when it accepts a connection, and the 5 s one after each response', () => {
    const p = new Driver<Ctx>(l7Proxy, { params: app.params });
    expect(p.deliver(ev.connect(down(1)))).toEqual([]);
    p.deliver(ev.request(down(1), 'r1', 'down', { nextConn: up(1) }));
    expect(p.deliver(ev.response(up(1), 'r1'))).toContainEqual({ type: 'setTimer', key: `idle:${down(1)}`, after: 5_000 });
  });

  it('on Node.js 22.19+/24.6+ closes 6 s after the last response (keepAliveTimeout + keepAliveTimeoutBuffer)', () => {
    expect(appNode24.params.downstreamIdleTimeout).toBe(6_000);
    expect(appNode26.params.downstreamIdleTimeout).toBe(66_000);
  });

  it('opens pool connections up to the maximum of 5', () => {
    const p = busyApp(5);
    expect(p.ctx.up.map((u) => u.id)).toEqual([1, 2, 3, 4, 5].map(up));
    expect(p.ctx.waiting).toEqual([]);
  });

  it('makes the 6th concurrent request wait (no connection opened) and arms the 60 s acquire timer', () => {
    const p = busyApp(5);
    p.deliver(ev.connect(down(6)));
    const fx = p.deliver(ev.request(down(6), 'r6', 'down', { nextConn: up(6) }));
    expect(wireEffects(fx)).toEqual([]);
    expect(fx).toContainEqual({ type: 'setTimer', key: 'acquire:r6', after: 60_000 });
    expect(fx).toContainEqual({ type: 'log', what: 'route', req: 'r6', detail: 'pooled waits: all 5 upstream connections busy' });
    expect(p.ctx.waiting).toEqual(['r6']);
  });

  it('hands a released pool connection to the waiting request instead of idling it', () => {
    const p = busyApp(6);
    const fx = p.deliver(ev.response(up(2), 'r2'));
    expect(wireEffects(fx)).toEqual([
      { type: 'send', conn: down(2), to: 'down', msg: { kind: 'response', req: 'r2', status: 200, close: false } },
      { type: 'send', conn: up(2), to: 'up', msg: { kind: 'request', req: 'r6', method: 'GET' } },
    ]);
    expect(fx).toContainEqual({ type: 'cancelTimer', key: 'acquire:r6' });
    expect(only(fx, 'setTimer').map((t) => t.key)).not.toContain(`upidle:${up(2)}`);
    expect(p.ctx.waiting).toEqual([]);
  });

  it('serves waiting requests oldest first', () => {
    const p = busyApp(7);
    expect(p.ctx.waiting).toEqual(['r6', 'r7']);
    const fx = p.deliver(ev.response(up(1), 'r1'));
    expect(only(fx, 'send')[1]).toMatchObject({ conn: up(1), msg: { req: 'r6' } });
    expect(p.ctx.waiting).toEqual(['r7']);
  });

  it('answers 503 when no pool connection frees within the acquire timeout', () => {
    const p = busyApp(6);
    const fx = p.deliver(ev.timer('acquire:r6'));
    expect(fx).toContainEqual({
      type: 'log',
      what: 'timeout',
      req: 'r6',
      status: 503,
      detail: 'no upstream connection became free',
    });
    expect(wireEffects(fx)).toEqual([
      { type: 'send', conn: down(6), to: 'down', msg: { kind: 'response', req: 'r6', status: 503, close: false } },
    ]);
    expect(p.ctx.waiting).toEqual([]);
    expect(p.ctx.inflight.map((f) => f.req)).not.toContain('r6');
  });

  it('idles a released pool connection with the 10 s pool idle timer and reuses it for the next request', () => {
    const p = busyApp(1);
    const fx = p.deliver(ev.response(up(1), 'r1'));
    expect(fx).toContainEqual({ type: 'setTimer', key: `upidle:${up(1)}`, after: 10_000 });
    const fx2 = p.deliver(ev.request(down(1), 'r2', 'down', { nextConn: up(2) }));
    expect(only(fx2, 'open')).toEqual([]);
    expect(fx2).toContainEqual({ type: 'cancelTimer', key: `upidle:${up(1)}` });
    expect(only(fx2, 'send')).toEqual([{ type: 'send', conn: up(1), to: 'up', msg: { kind: 'request', req: 'r2', method: 'GET' } }]);
  });

  it('closes a pool connection idle for 10 s', () => {
    const p = busyApp(1);
    p.deliver(ev.response(up(1), 'r1'));
    const fx = p.deliver(ev.timer(`upidle:${up(1)}`));
    expect(fx).toContainEqual({ type: 'log', what: 'idle-close', conn: up(1), detail: 'idle 10000 ms' });
    expect(only(fx, 'close')).toEqual([{ type: 'close', conn: up(1), to: 'up', detail: 'pool idle timeout' }]);
    expect(p.ctx.up).toEqual([]);
  });

  it('answers 502 when the database drops a busy pool connection', () => {
    const p = busyApp(1);
    const fx = p.deliver(ev.reset(up(1), 'up'));
    expect(only(fx, 'send')).toEqual([
      { type: 'send', conn: down(1), to: 'down', msg: { kind: 'response', req: 'r1', status: 502, close: false } },
    ]);
  });

  // A pool slot freed by a connection going away (closed or reset by the database,
  // abandoned with its request) is refilled for the oldest waiting request at once,
  // as sequelize-pool / generic-pool do; it does not wait for the acquire timeout.
  it('opens a new pool connection for a waiting request when a busy pool connection is dropped', () => {
    const p = busyApp(6);
    const fx = p.deliver(ev.reset(up(1), 'up', { nextConn: up(6) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(6), req: 'r6', detail: 'pool slot freed for waiting r6' }]);
    expect(p.ctx.waiting).toEqual([]);
  });

  // Sequelize cannot cancel a query (sequelize#11395; mysqljs/mysql#1164): an abandoned query keeps its pool connection.
  it('keeps the pool connection of an abandoned query busy until the query returns (a zombie query), then serves the waiting request on it', () => {
    const p = busyApp(6);
    const fx = p.deliver(ev.close(down(1), 'down', { nextConn: up(6) }));
    expect(fx).toContainEqual({ type: 'log', what: 'abandon', req: 'r1', conn: down(1), detail: 'client side went away' });
    expect(wireEffects(fx)).toEqual([]);
    expect(p.ctx.waiting).toEqual(['r6']);
    // The query returns: nobody to answer; the connection goes to the waiting request.
    const done = p.deliver(ev.response(up(1), 'r1'));
    expect(wireEffects(done)).toEqual([{ type: 'send', conn: up(1), to: 'up', msg: { kind: 'request', req: 'r6', method: 'GET' } }]);
    expect(p.ctx.waiting).toEqual([]);
  });

  it('with cancelOnAbandon (a proxy that closes the upstream of an abandoned request) opens a new pool connection for the waiting one', () => {
    const p = busyApp(6, { ...app.params, cancelOnAbandon: true });
    const fx = p.deliver(ev.close(down(1), 'down', { nextConn: up(6) }));
    expect(only(fx, 'close')).toEqual([{ type: 'close', conn: up(1), to: 'up', detail: 'request abandoned' }]);
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(6), req: 'r6', detail: 'pool slot freed for waiting r6' }]);
    expect(p.ctx.waiting).toEqual([]);
  });

  it('reuses the most recently released idle connection first (sequelize-pool pops the last released)', () => {
    const p = busyApp(2);
    p.deliver(ev.response(up(1), 'r1'));
    p.deliver(ev.response(up(2), 'r2'));
    p.deliver(ev.connect(down(3)));
    const fx = p.deliver(ev.request(down(3), 'r3', 'down', { nextConn: up(3) }));
    expect(only(fx, 'send')[0]).toMatchObject({ conn: up(2) });
    const lru = busyApp(2, { ...app.params, reuse: 'lru' });
    lru.deliver(ev.response(up(1), 'r1'));
    lru.deliver(ev.response(up(2), 'r2'));
    lru.deliver(ev.connect(down(3)));
    expect(only(lru.deliver(ev.request(down(3), 'r3', 'down', { nextConn: up(3) })), 'send')[0]).toMatchObject({ conn: up(1) });
  });

  it('drops a waiting request silently from the queue when its client side goes away', () => {
    const p = busyApp(6);
    const fx = p.deliver(ev.close(down(6), 'down'));
    expect(fx).toContainEqual({ type: 'log', what: 'abandon', req: 'r6', conn: down(6), detail: 'client side went away' });
    expect(fx).toContainEqual({ type: 'cancelTimer', key: 'acquire:r6' });
    expect(wireEffects(fx)).toEqual([]);
    expect(p.ctx.waiting).toEqual([]);
  });
});

describe('l7Proxy as the cdn (pooled, unbounded)', () => {
  it('opens a new origin connection whenever none is idle, without ever waiting', () => {
    const p = busyApp(8, cdn.params);
    expect(p.ctx.up).toHaveLength(8);
    expect(p.ctx.waiting).toEqual([]);
  });

  it('arms no client-side idle timer (viewer keep-alive is not modelled)', () => {
    const p = new Driver<Ctx>(l7Proxy, { params: cdn.params });
    expect(p.deliver(ev.connect(down(1)))).toEqual([]);
  });
});
