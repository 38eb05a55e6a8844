/**
 * The l7Proxy machine with the gateway preset: a fleet of independent workers,
 * each pooling its own backend connections; 504 after the integration timeout.
 * Also the `pinned` policy of the mistaken topology.
 */
import { describe, expect, it } from 'vitest';
import { l7Proxy, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import { gateway } from '../../models/tiers/gateway.js';
import { mistaken } from '../../models/topologies/mistaken.js';
import { Driver, ev, only, wireEffects } from './drive.js';

interface Ctx {
  params: L7ProxyParams;
  branching: Record<string, number>;
  down: { id: string; served: number; busy: string | null; pinned: string | null }[];
  up: { id: string; worker: number; busy: string | null; pinnedTo: string | null; served: number }[];
  inflight: { req: string; down: string; up: string | null; worker: number }[];
}

const D1 = 'cdn>gateway#1';
const D2 = 'cdn>gateway#2';
const up = (n: number) => `gateway>nlb#${n}`;

function proxy(params: L7ProxyParams = gateway.params) {
  const p = new Driver<Ctx>(l7Proxy, { params });
  p.deliver(ev.connect(D1));
  return p;
}

describe('l7Proxy as the gateway fleet', () => {
  it('has 20 workers, a 29 s integration timeout answered with 504, and one REQUEST branch per worker', () => {
    expect(gateway.params).toMatchObject({ upstreamPolicy: 'fleet', workers: 20, requestTimeout: 29_000, timeoutStatus: 504 });
    expect(proxy().ctx.branching).toEqual({ REQUEST: 20 });
  });

  it('sends a request to worker pick % workers, which opens a connection (nextConn) and arms the 29 s timer', () => {
    const p = proxy();
    const fx = p.deliver(ev.request(D1, 'r1', 'down', { pick: 23, nextConn: up(1) }));
    expect(fx).toContainEqual({ type: 'setTimer', key: 'req:r1', after: 29_000 });
    expect(wireEffects(fx)).toEqual([
      { type: 'open', conn: up(1), req: 'r1', detail: 'worker 3' },
      { type: 'send', conn: up(1), to: 'up', msg: { kind: 'request', req: 'r1', method: 'GET' } },
    ]);
    expect(p.ctx.up).toEqual([{ id: up(1), worker: 3, busy: 'r1', pinnedTo: null, served: 1 }]);
  });

  it('reuses the idle connection of the same worker (pick 3 after pick 23)', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 23, nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    const fx = p.deliver(ev.request(D1, 'r2', 'down', { pick: 3, nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([]);
    expect(fx).toContainEqual({ type: 'log', what: 'route', req: 'r2', conn: up(1), detail: `worker 3 reuses idle ${up(1)}` });
    expect(only(fx, 'send')).toEqual([{ type: 'send', conn: up(1), to: 'up', msg: { kind: 'request', req: 'r2', method: 'GET' } }]);
  });

  it('opens a second backend connection when the next request of the same client connection lands on another worker', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 3, nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    const fx = p.deliver(ev.request(D1, 'r2', 'down', { pick: 4, nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(2), req: 'r2', detail: 'worker 4' }]);
    expect(p.ctx.up.map((u) => [u.id, u.worker])).toEqual([
      [up(1), 3],
      [up(2), 4],
    ]);
  });

  it('relays the response and keeps the backend connection open and idle in its worker pool', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 0, nextConn: up(1) }));
    const fx = p.deliver(ev.response(up(1), 'r1'));
    expect(wireEffects(fx)).toEqual([
      { type: 'send', conn: D1, to: 'down', msg: { kind: 'response', req: 'r1', status: 200, close: false } },
    ]);
    expect(fx).toContainEqual({ type: 'cancelTimer', key: 'req:r1' });
    expect(p.ctx.up).toEqual([{ id: up(1), worker: 0, busy: null, pinnedTo: null, served: 1 }]);
  });

  it('answers 504 when the integration timer fires and closes the abandoned backend connection', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 5, nextConn: up(1) }));
    const fx = p.deliver(ev.timer('req:r1'));
    expect(fx).toContainEqual({
      type: 'log',
      what: 'timeout',
      req: 'r1',
      conn: up(1),
      status: 504,
      detail: 'upstream did not answer in time',
    });
    expect(wireEffects(fx)).toEqual([
      { type: 'send', conn: D1, to: 'down', msg: { kind: 'response', req: 'r1', status: 504, close: false } },
      { type: 'close', conn: up(1), to: 'up', detail: 'abandoned after timeout' },
    ]);
    expect(p.ctx.up).toEqual([]);
    expect(p.ctx.inflight).toEqual([]);
    expect(p.ctx.down[0]!.busy).toBeNull();
  });

  it('does not read the late response of a timed-out request (its connection is gone)', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 5, nextConn: up(1) }));
    p.deliver(ev.timer('req:r1'));
    expect(p.accepts(ev.response(up(1), 'r1'))).toBe(false);
  });

  it('takes the next request of the client connection after a 504 on a fresh backend connection', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 5, nextConn: up(1) }));
    p.deliver(ev.timer('req:r1'));
    const fx = p.deliver(ev.request(D1, 'r2', 'down', { pick: 5, nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(2), req: 'r2', detail: 'worker 5' }]);
  });

  it('ignores the timer of a request already answered', () => {
    const p = proxy();
    p.deliver(ev.request(D1, 'r1', 'down', { pick: 5, nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    expect(p.send(ev.timer('req:r1'))).toEqual([]);
  });
});

describe('l7Proxy with the pinned policy (mistaken gateway)', () => {
  const pinned = mistaken.tiers.find((t) => t.name === 'gateway')!.params as L7ProxyParams;

  it('is configured pinned with one worker', () => {
    expect(pinned).toMatchObject({ upstreamPolicy: 'pinned', workers: 1 });
  });

  it('opens one upstream connection per client connection and reuses it for every request of that connection', () => {
    const p = proxy(pinned);
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    const fx = p.deliver(ev.request(D1, 'r2', 'down', { nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([]);
    expect(fx).toContainEqual({ type: 'log', what: 'route', req: 'r2', conn: up(1), detail: 'pinned reuses its pinned connection' });
    expect(only(fx, 'send')[0]).toMatchObject({ conn: up(1) });
  });

  it('never lends a pinned connection to another client connection, even when it is idle', () => {
    const p = proxy(pinned);
    p.deliver(ev.connect(D2));
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    const fx = p.deliver(ev.request(D2, 'r2', 'down', { nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(2), req: 'r2', detail: 'pinned' }]);
    expect(p.ctx.up.map((u) => [u.id, u.pinnedTo])).toEqual([
      [up(1), D1],
      [up(2), D2],
    ]);
  });

  it('closes the pinned upstream connection when its client connection closes (the belief: the chain follows the client)', () => {
    const p = proxy(pinned);
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    const fx = p.deliver(ev.close(D1, 'down'));
    expect(only(fx, 'close')).toEqual([{ type: 'close', conn: up(1), to: 'up', detail: 'its client connection closed' }]);
    expect(p.ctx.up).toEqual([]);
    expect(p.ctx.down).toEqual([]);
  });

  // No real proxy closes a client connection because an upstream connection closed (NGINX keeps it).
  it('keeps the client connection when its pinned upstream closes, and pins a new upstream for the next request', () => {
    const p = proxy(pinned);
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    p.deliver(ev.response(up(1), 'r1'));
    expect(only(p.deliver(ev.close(up(1), 'up')), 'close')).toEqual([]);
    expect(p.ctx.down.map((d) => [d.id, d.pinned])).toEqual([[D1, null]]);
    const fx = p.deliver(ev.request(D1, 'r2', 'down', { nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(2), req: 'r2', detail: 'pinned' }]);
    expect(p.ctx.down.map((d) => [d.id, d.pinned])).toEqual([[D1, up(2)]]);
  });

  it('answers 502 (and keeps the client connection) when the pinned upstream closes under a request', () => {
    const p = proxy(pinned);
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    const fx = p.deliver(ev.close(up(1), 'up'));
    expect(wireEffects(fx)).toEqual([{ type: 'send', conn: D1, to: 'down', msg: { kind: 'response', req: 'r1', status: 502, close: false } }]);
    expect(p.ctx.down.map((d) => d.id)).toEqual([D1]);
  });

  it('on a timeout answers 504 on the client connection and closes the abandoned pinned upstream, once', () => {
    const p = proxy(pinned);
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    const fx = p.deliver(ev.timer('req:r1'));
    expect(only(fx, 'send')).toEqual([{ type: 'send', conn: D1, to: 'down', msg: { kind: 'response', req: 'r1', status: 504, close: false } }]);
    expect(only(fx, 'close').map((c) => c.conn)).toEqual([up(1)]);
    expect(p.ctx.down.map((d) => [d.id, d.pinned])).toEqual([[D1, null]]);
  });

  it('closes the pinned upstream connection once when a timeout hits the keepalive_requests-th request', () => {
    const p = proxy({ ...pinned, downstreamMaxRequests: 1 });
    p.deliver(ev.request(D1, 'r1', 'down', { nextConn: up(1) }));
    const fx = p.deliver(ev.timer('req:r1'));
    expect(only(fx, 'close').map((c) => c.conn)).toEqual([D1, up(1)]);
  });
});
