/**
 * The l7Proxy machine with the nginx preset: keepalive_timeout 75 s,
 * keepalive_requests 100, a new upstream connection per request.
 */
import { describe, expect, it } from 'vitest';
import { l7Proxy, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import { nginx } from '../../models/tiers/nginx.js';
import { Driver, ev, indexOf, only, wireEffects } from './drive.js';

interface Ctx {
  params: L7ProxyParams;
  down: { id: string; served: number; busy: string | null }[];
  up: { id: string; busy: string | null }[];
  inflight: { req: string; down: string; up: string | null }[];
}

const DOWN = 'connQueue>nginx#1';
const up = (n: number) => `nginx>app#${n}`;

function proxy(overrides: Partial<L7ProxyParams> = {}) {
  return new Driver<Ctx>(l7Proxy, { params: { ...nginx.params, ...overrides } });
}

/** One full request/response exchange on `down`; returns the effects of the response. */
function exchange(p: Driver<Ctx>, n: number, down = DOWN) {
  p.deliver(ev.request(down, `r${n}`, 'down', { nextConn: up(n) }));
  return p.deliver(ev.response(up(n), `r${n}`));
}

describe('l7Proxy as nginx', () => {
  it('uses the nginx defaults: 75 s keepalive_timeout, 100 keepalive_requests, perRequest upstream', () => {
    expect(nginx.kind).toBe('l7Proxy');
    expect(nginx.params.downstreamIdleTimeout).toBe(75_000);
    expect(nginx.params.downstreamMaxRequests).toBe(100);
    expect(nginx.params.upstreamPolicy).toBe('perRequest');
  });

  // ngx_http_init_connection arms client_header_timeout; keepalive_timeout starts only after a response (ngx_http_set_keepalive).
  it('arms the 60 s client_header_timeout, not keepalive_timeout, when it accepts a client-side connection', () => {
    const p = proxy();
    const fx = p.deliver(ev.connect(DOWN, 'down'));
    expect(fx).toEqual([{ type: 'setTimer', key: `first:${DOWN}`, after: 60_000 }]);
    expect(p.ctx.down).toEqual([{ id: DOWN, served: 0, busy: null, pinned: null }]);
  });

  it('does not accept a connection from its upstream side', () => {
    const p = proxy();
    expect(p.accepts(ev.connect('x', 'up'))).toBe(false);
  });

  it('cancels the idle timer while a request is in flight', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    const fx = p.deliver(ev.request(DOWN, 'r1', 'down', { nextConn: up(1) }));
    expect(fx).toContainEqual({ type: 'cancelTimer', key: `idle:${DOWN}` });
    expect(only(fx, 'setTimer').filter((t) => t.key.startsWith('idle:'))).toEqual([]);
  });

  it('opens a new upstream connection (the event nextConn) for each request and forwards the request on it', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    const fx = p.deliver(ev.request(DOWN, 'r1', 'down', { nextConn: up(1) }));
    expect(wireEffects(fx)).toEqual([
      { type: 'open', conn: up(1), req: 'r1', detail: 'perRequest' },
      { type: 'send', conn: up(1), to: 'up', msg: { kind: 'request', req: 'r1', method: 'GET' } },
    ]);
    expect(p.ctx.up.map((u) => u.id)).toEqual([up(1)]);
  });

  it('relays the response downstream, then closes the upstream connection it used', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    const fx = exchange(p, 1);
    expect(wireEffects(fx)).toEqual([
      { type: 'send', conn: DOWN, to: 'down', msg: { kind: 'response', req: 'r1', status: 200, close: false } },
      { type: 'close', conn: up(1), to: 'up', detail: 'one request per connection' },
    ]);
    expect(p.ctx.up).toEqual([]);
    expect(p.ctx.inflight).toEqual([]);
  });

  it('never reuses an upstream connection: the second request on the same client connection opens another', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    exchange(p, 1);
    const fx = p.deliver(ev.request(DOWN, 'r2', 'down', { nextConn: up(2) }));
    expect(only(fx, 'open')).toEqual([{ type: 'open', conn: up(2), req: 'r2', detail: 'perRequest' }]);
    expect(only(fx, 'send')[0]).toMatchObject({ conn: up(2) });
  });

  it('re-arms the 75000 ms idle timer after each response', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    for (let n = 1; n <= 3; n++) {
      const fx = exchange(p, n);
      expect(fx).toContainEqual({ type: 'setTimer', key: `idle:${DOWN}`, after: 75_000 });
    }
  });

  it('closes an idle client-side connection when its idle timer fires, with an idle-close log', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    exchange(p, 1);
    const fx = p.deliver(ev.timer(`idle:${DOWN}`));
    expect(fx).toEqual([
      { type: 'log', what: 'idle-close', conn: DOWN, detail: 'idle 75000 ms' },
      { type: 'cancelTimer', key: `first:${DOWN}` },
      { type: 'cancelTimer', key: `idle:${DOWN}` },
      { type: 'close', conn: DOWN, to: 'down', detail: 'keep-alive idle timeout' },
    ]);
    expect(p.ctx.down).toEqual([]);
  });

  it('closes a connection that never carried a request when client_header_timeout fires', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    const fx = p.deliver(ev.timer(`first:${DOWN}`));
    expect(only(fx, 'log')).toEqual([{ type: 'log', what: 'idle-close', conn: DOWN, detail: 'no request within 60000 ms of accepting it' }]);
    expect(only(fx, 'close')).toEqual([{ type: 'close', conn: DOWN, to: 'down', detail: 'first-request timeout' }]);
  });

  it('cancels client_header_timeout when the first request arrives', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    expect(p.deliver(ev.request(DOWN, 'r1', 'down', { nextConn: up(1) }))).toContainEqual({ type: 'cancelTimer', key: `first:${DOWN}` });
  });

  it('answers 504 when the upstream sends nothing for proxy_read_timeout (60 s)', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    const fx = p.deliver(ev.request(DOWN, 'r1', 'down', { nextConn: 'nginx>app#1' }));
    expect(fx).toContainEqual({ type: 'setTimer', key: 'req:r1', after: 60_000 });
    expect(only(p.deliver(ev.timer('req:r1')), 'send')[0]).toMatchObject({ conn: DOWN, msg: { kind: 'response', req: 'r1', status: 504 } });
  });

  it('does not read requests on a connection it closed', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    p.deliver(ev.timer(`first:${DOWN}`));
    expect(p.accepts(ev.request(DOWN, 'late'))).toBe(false);
  });

  it('answers requests 1..99 with keep-alive and the 100th with Connection: close followed by a close', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    for (let n = 1; n <= 99; n++) {
      const fx = exchange(p, n);
      expect(only(fx, 'send')[0]!.msg).toMatchObject({ close: false });
      expect(only(fx, 'close').filter((c) => c.conn === DOWN)).toEqual([]);
    }
    const fx = exchange(p, 100);
    const sendAt = indexOf(fx, (e) => e.type === 'send' && e.conn === DOWN);
    const closeAt = indexOf(fx, (e) => e.type === 'close' && e.conn === DOWN);
    expect(fx[sendAt]).toEqual({
      type: 'send',
      conn: DOWN,
      to: 'down',
      msg: { kind: 'response', req: 'r100', status: 200, close: true },
    });
    expect(fx[closeAt]).toEqual({ type: 'close', conn: DOWN, to: 'down', detail: 'keepalive_requests reached' });
    expect(sendAt).toBeLessThan(closeAt);
    expect(fx).toContainEqual({ type: 'log', what: 'max-requests', conn: DOWN, req: 'r100', detail: '100 requests served' });
    expect(p.ctx.down).toEqual([]);
  });

  it('closes after keepalive_requests with a small override (2) and arms no idle timer on the last response', () => {
    const p = proxy({ downstreamMaxRequests: 2 });
    p.deliver(ev.connect(DOWN));
    expect(only(exchange(p, 1), 'send')[0]!.msg).toMatchObject({ close: false });
    const fx = exchange(p, 2);
    expect(only(fx, 'send')[0]!.msg).toMatchObject({ req: 'r2', close: true });
    expect(only(fx, 'close').map((c) => c.conn)).toEqual([DOWN, up(2)]);
    expect(only(fx, 'setTimer')).toEqual([]);
    expect(p.ctx.down).toEqual([]);
  });

  it('counts keepalive_requests per client-side connection', () => {
    const p = proxy({ downstreamMaxRequests: 2 });
    const other = 'connQueue>nginx#2';
    p.deliver(ev.connect(DOWN));
    p.deliver(ev.connect(other));
    exchange(p, 1, DOWN);
    const fx = exchange(p, 2, other);
    expect(only(fx, 'send')[0]!.msg).toMatchObject({ close: false });
    expect(p.ctx.down.map((d) => [d.id, d.served])).toEqual([
      [DOWN, 1],
      [other, 1],
    ]);
  });

  it('gives up on a request whose client side went away: abandon log and the upstream connection closed', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    p.deliver(ev.request(DOWN, 'r1', 'down', { nextConn: up(1) }));
    const fx = p.deliver(ev.close(DOWN, 'down'));
    expect(fx).toContainEqual({ type: 'log', what: 'abandon', req: 'r1', conn: DOWN, detail: 'client side went away' });
    expect(only(fx, 'close')).toEqual([{ type: 'close', conn: up(1), to: 'up', detail: 'request abandoned' }]);
    expect(p.ctx.up).toEqual([]);
    expect(p.ctx.inflight).toEqual([]);
  });

  it('answers 502 when the upstream connection closes before the response', () => {
    const p = proxy();
    p.deliver(ev.connect(DOWN));
    p.deliver(ev.request(DOWN, 'r1', 'down', { nextConn: up(1) }));
    const fx = p.deliver(ev.close(up(1), 'up'));
    expect(only(fx, 'send')).toEqual([
      { type: 'send', conn: DOWN, to: 'down', msg: { kind: 'response', req: 'r1', status: 502, close: false } },
    ]);
    expect(p.ctx.down[0]).toMatchObject({ busy: null });
  });
});
