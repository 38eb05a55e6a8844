/**
 * The connectionLimiter machine (the connQueue preset): at most `limit`
 * active connections, each proxied 1:1 upstream; the rest parked FIFO and
 * never read until a slot frees.
 */
import { describe, expect, it } from 'vitest';
import { connectionLimiter } from '../../models/machines/connectionLimiter.js';
import { connQueue } from '../../models/tiers/connQueue.js';
import { Driver, ev, only, wireEffects } from './drive.js';

interface Ctx {
  params: { limit: number };
  active: { down: string; up: string }[];
  queued: string[];
}

const down = (n: number) => `nlb>connQueue#${n}`;
const up = (n: number) => `connQueue>nginx#${n}`;

function limiter(limit = connQueue.params.limit) {
  return new Driver<Ctx>(connectionLimiter, { params: { limit } });
}

/** Delivers the handshakes of downstream connections 1..n, in order (upstream ids follow 1, 2, ...). */
function connectAll(q: Driver<Ctx>, n: number) {
  let opened = q.ctx.active.length;
  for (let k = q.ctx.active.length + q.ctx.queued.length + 1; k <= n; k++) {
    const fx = q.deliver(ev.connect(down(k), 'down', { nextConn: up(opened + 1) }));
    opened += only(fx, 'open').length;
  }
}

describe('connectionLimiter as connQueue', () => {
  it('has a limit of 15 by default', () => {
    expect(connQueue.kind).toBe('connectionLimiter');
    expect(connQueue.params.limit).toBe(15);
  });

  it('activates a new connection while below the limit and opens its upstream twin with the event nextConn', () => {
    const q = limiter();
    const fx = q.deliver(ev.connect(down(1), 'down', { nextConn: up(1) }));
    expect(fx).toEqual([
      { type: 'log', what: 'activate', conn: down(1), detail: 'slot 1 of 15' },
      { type: 'open', conn: up(1), detail: `proxy for ${down(1)}` },
    ]);
    expect(q.ctx.active).toEqual([{ down: down(1), up: up(1) }]);
    expect(q.value).toBe('admitting');
  });

  it('activates 15 connections, then becomes saturated', () => {
    const q = limiter();
    connectAll(q, 14);
    expect(q.value).toBe('admitting');
    connectAll(q, 15);
    expect(q.ctx.active).toHaveLength(15);
    expect(q.value).toBe('saturated');
  });

  it('queues the 16th connection: a queue log, no upstream connection', () => {
    const q = limiter();
    connectAll(q, 15);
    const fx = q.deliver(ev.connect(down(16), 'down', { nextConn: up(16) }));
    expect(fx).toEqual([{ type: 'log', what: 'queue', conn: down(16), detail: 'all 15 slots active, position 1' }]);
    expect(q.ctx.queued).toEqual([down(16)]);
    expect(q.ctx.active).toHaveLength(15);
    expect(q.value).toBe('saturated');
  });

  it('queues further connections FIFO with their positions', () => {
    const q = limiter(2);
    connectAll(q, 2);
    q.deliver(ev.connect(down(3), 'down', { nextConn: up(3) }));
    const fx = q.deliver(ev.connect(down(4), 'down', { nextConn: up(3) }));
    expect(fx).toEqual([{ type: 'log', what: 'queue', conn: down(4), detail: 'all 2 slots active, position 2' }]);
    expect(q.ctx.queued).toEqual([down(3), down(4)]);
  });

  it('does not read a queued connection: no REQUEST, CLOSE or RESET is accepted on it', () => {
    const q = limiter(1);
    connectAll(q, 2);
    expect(q.accepts(ev.request(down(2), 'r1'))).toBe(false);
    expect(q.accepts(ev.close(down(2), 'down'))).toBe(false);
    expect(q.accepts(ev.reset(down(2), 'down'))).toBe(false);
    // ...while the active one is read
    expect(q.accepts(ev.request(down(1), 'r1'))).toBe(true);
    expect(q.accepts(ev.close(down(1), 'down'))).toBe(true);
  });

  it('stepping a queued connection anyway changes nothing and emits nothing', () => {
    const q = limiter(1);
    connectAll(q, 2);
    const before = q.state;
    expect(q.send(ev.request(down(2), 'r1'))).toEqual([]);
    expect(q.state.context).toEqual(before.context);
  });

  it('proxies a request on an active connection to its upstream twin', () => {
    const q = limiter(2);
    connectAll(q, 2);
    expect(q.deliver(ev.request(down(2), 'r1'))).toEqual([
      { type: 'send', conn: up(2), to: 'up', msg: { kind: 'request', req: 'r1', method: 'GET' } },
    ]);
  });

  it('proxies a response back to the downstream twin, keeping its status and close flag', () => {
    const q = limiter(2);
    connectAll(q, 2);
    q.deliver(ev.request(down(1), 'r1'));
    expect(q.deliver(ev.response(up(1), 'r1', { status: 504, close: true }))).toEqual([
      { type: 'send', conn: down(1), to: 'down', msg: { kind: 'response', req: 'r1', status: 504, close: true } },
    ]);
  });

  it('when an active connection closes from downstream: closes its twin and activates the oldest queued connection', () => {
    const q = limiter(2);
    connectAll(q, 4); // 1, 2 active; 3, 4 queued
    const fx = q.deliver(ev.close(down(1), 'down', { nextConn: up(3) }));
    expect(fx).toEqual([
      { type: 'close', conn: up(1), to: 'up' },
      { type: 'log', what: 'activate', conn: down(3), detail: 'slot 2 of 2' },
      { type: 'open', conn: up(3), detail: `proxy for ${down(3)}` },
    ]);
    expect(q.ctx.active).toEqual([
      { down: down(2), up: up(2) },
      { down: down(3), up: up(3) },
    ]);
    expect(q.ctx.queued).toEqual([down(4)]);
    expect(q.value).toBe('saturated');
  });

  it('when an active connection closes from upstream (nginx): closes the downstream twin and activates the oldest queued', () => {
    const q = limiter(2);
    connectAll(q, 4);
    const fx = q.deliver(ev.close(up(2), 'up', { nextConn: up(3) }));
    expect(wireEffects(fx)).toEqual([
      { type: 'close', conn: down(2), to: 'down' },
      { type: 'open', conn: up(3), detail: `proxy for ${down(3)}` },
    ]);
    expect(q.ctx.queued).toEqual([down(4)]);
    expect(q.ctx.active.map((p) => p.down)).toEqual([down(1), down(3)]);
  });

  it('a reset tears down the twin with a reset and also frees the slot for the oldest queued', () => {
    const q = limiter(1);
    connectAll(q, 3);
    const fx = q.deliver(ev.reset(down(1), 'down', { nextConn: up(2) }));
    expect(wireEffects(fx)).toEqual([
      { type: 'reset', conn: up(1), to: 'up' },
      { type: 'open', conn: up(2), detail: `proxy for ${down(2)}` },
    ]);
    expect(q.ctx.queued).toEqual([down(3)]);
  });

  it('activates queued connections strictly in arrival order as slots free', () => {
    const q = limiter(1);
    connectAll(q, 4);
    const activated: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const current = q.ctx.active[0]!;
      const fx = q.deliver(ev.close(current.down, 'down', { nextConn: up(k + 1) }));
      activated.push(...only(fx, 'log').filter((l) => l.what === 'activate').map((l) => l.conn!));
    }
    expect(activated).toEqual([down(2), down(3), down(4)]);
  });

  it('reads a formerly queued connection once it is active', () => {
    const q = limiter(1);
    connectAll(q, 2);
    q.deliver(ev.close(down(1), 'down', { nextConn: up(2) }));
    expect(q.accepts(ev.request(down(2), 'r1'))).toBe(true);
    expect(q.deliver(ev.request(down(2), 'r1'))).toEqual([
      { type: 'send', conn: up(2), to: 'up', msg: { kind: 'request', req: 'r1', method: 'GET' } },
    ]);
  });

  it('returns to admitting when a slot frees and nothing is queued', () => {
    const q = limiter(1);
    connectAll(q, 1);
    expect(q.value).toBe('saturated');
    const fx = q.deliver(ev.close(down(1), 'down', { nextConn: up(2) }));
    expect(fx).toEqual([{ type: 'close', conn: up(1), to: 'up' }]);
    expect(q.value).toBe('admitting');
    expect(q.ctx.active).toEqual([]);
  });

  it('forgets a closed pair: later messages on either twin are not read', () => {
    const q = limiter(2);
    connectAll(q, 1);
    q.deliver(ev.close(down(1), 'down', { nextConn: up(2) }));
    expect(q.accepts(ev.request(down(1), 'r1'))).toBe(false);
    expect(q.accepts(ev.response(up(1), 'r1'))).toBe(false);
  });
});
