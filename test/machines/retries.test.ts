/**
 * Retries and failed connection attempts, each machine alone, as the products
 * do them:
 * - NGINX proxy_next_upstream error: a request lost on a cached (reused)
 *   upstream connection goes again on a new one, unless it is a POST or PATCH;
 * - CloudFront: 3 connection attempts when the origin refuses; GET and HEAD
 *   tried again after the response timeout, up to 3 times; 502 / 504 after;
 * - a client retry policy (JMeter's default: none);
 * - a server with nothing listening refuses every connection;
 * - the NLB health checker's thresholds.
 */
import { describe, expect, it } from 'vitest';
import { clientConnection, type ClientContext } from '../../models/machines/client.js';
import { healthChecker, type HealthCheckerContext, type HealthCheckerParams } from '../../models/machines/healthChecker.js';
import { l7Proxy, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import { server } from '../../models/machines/server.js';
import { cdn } from '../../models/tiers/cdn.js';
import { client } from '../../models/tiers/client.js';
import { database } from '../../models/tiers/database.js';
import { healthCheck } from '../../models/tiers/healthCheck.js';
import { nginx } from '../../models/tiers/nginx.js';
import { Driver, ev, only, wireEffects } from './drive.js';

interface ProxyCtx {
  params: L7ProxyParams;
  up: { id: string; served: number; busy: string | null }[];
  inflight: { req: string; up: string | null; connectTries: number; timeoutTries: number }[];
}

/** NGINX with upstream keep-alive (the nginx-upstream-keepalive mitigation). */
const keepalive: L7ProxyParams = { ...nginx.params, upstreamPolicy: 'pooled', upstreamIdleTimeout: 60_000 };
const D = 'connQueue>nginx#1';
const U = (n: number) => `nginx>app#${n}`;

/** NGINX that has served r1 on U(1) and is about to reuse it for r2 (method `method`). */
function reusing(method: 'GET' | 'POST') {
  const p = new Driver<ProxyCtx>(l7Proxy, { params: keepalive });
  p.deliver(ev.connect(D));
  p.deliver(ev.request(D, 'r1', 'down', { nextConn: U(1) }));
  p.deliver(ev.response(U(1), 'r1'));
  const fx = p.deliver(ev.request(D, 'r2', 'down', { nextConn: U(2), method }));
  expect(only(fx, 'send')[0]).toMatchObject({ conn: U(1), msg: { req: 'r2', method } });
  return p;
}

describe('NGINX proxy_next_upstream on a cached upstream connection', () => {
  it('sends a GET lost on a reused connection again on a new connection: no 502', () => {
    const p = reusing('GET');
    const fx = p.deliver(ev.close(U(1), 'up', { nextConn: U(2) }));
    expect(only(fx, 'log')[0]).toMatchObject({ what: 'retry', req: 'r2', conn: U(1) });
    expect(wireEffects(fx)).toEqual([
      { type: 'open', conn: U(2), req: 'r2', detail: 'retry of r2' },
      { type: 'send', conn: U(2), to: 'up', msg: { kind: 'request', req: 'r2', method: 'GET' } },
    ]);
    expect(only(fx, 'send').filter((s) => s.to === 'down')).toEqual([]);
  });

  it('does not send a POST again once sent (since 1.9.13): 502', () => {
    const p = reusing('POST');
    const fx = p.deliver(ev.close(U(1), 'up', { nextConn: U(2) }));
    expect(only(fx, 'open')).toEqual([]);
    expect(wireEffects(fx)).toEqual([{ type: 'send', conn: D, to: 'down', msg: { kind: 'response', req: 'r2', status: 502, close: false } }]);
  });

  it('answers 502 for a GET lost on a fresh connection (not a cached one: no next upstream)', () => {
    const p = new Driver<ProxyCtx>(l7Proxy, { params: keepalive });
    p.deliver(ev.connect(D));
    p.deliver(ev.request(D, 'r1', 'down', { nextConn: U(1) }));
    const fx = p.deliver(ev.reset(U(1), 'up', { nextConn: U(2) }));
    expect(only(fx, 'open')).toEqual([]);
    expect(only(fx, 'send')[0]).toMatchObject({ conn: D, msg: { status: 502 } });
  });
});

describe('CloudFront connection attempts and response-timeout retries', () => {
  const V = 'client>cdn#1';
  const O = (n: number) => `cdn>origin#${n}`;
  const refused = (conn: string, nextConn: string) => ({ type: 'RESET' as const, conn, side: 'up' as const, refused: true, pick: 0, nextConn });

  it('makes 3 connection attempts per request when the origin refuses, then answers 502', () => {
    const p = new Driver<ProxyCtx>(l7Proxy, { params: cdn.params });
    p.deliver(ev.connect(V));
    p.deliver(ev.request(V, 'r1', 'down', { nextConn: O(1) }));
    const second = p.deliver(refused(O(1), O(2)));
    expect(only(second, 'open')).toEqual([{ type: 'open', conn: O(2), req: 'r1', detail: 'retry of r1' }]);
    expect(only(second, 'log')[0]!.detail).toMatch(/attempt 2 of 3/);
    const third = p.deliver(refused(O(2), O(3)));
    expect(only(third, 'open')).toEqual([{ type: 'open', conn: O(3), req: 'r1', detail: 'retry of r1' }]);
    const last = p.deliver(refused(O(3), O(4)));
    expect(only(last, 'open')).toEqual([]);
    expect(only(last, 'send')[0]).toMatchObject({ conn: V, msg: { req: 'r1', status: 502 } });
  });

  it('tries a GET again after the 30 s response timeout, 3 attempts in all, then answers 504', () => {
    const p = new Driver<ProxyCtx>(l7Proxy, { params: cdn.params });
    p.deliver(ev.connect(V));
    p.deliver(ev.request(V, 'r1', 'down', { nextConn: O(1) }));
    const a2 = p.deliver(ev.timer('req:r1', { nextConn: O(2) }));
    expect(only(a2, 'close')).toEqual([{ type: 'close', conn: O(1), to: 'up', detail: 'abandoned after timeout' }]);
    expect(only(a2, 'open')).toEqual([{ type: 'open', conn: O(2), req: 'r1', detail: 'retry of r1' }]);
    expect(a2).toContainEqual({ type: 'setTimer', key: 'req:r1', after: 30_000 });
    p.deliver(ev.timer('req:r1', { nextConn: O(3) }));
    const end = p.deliver(ev.timer('req:r1', { nextConn: O(4) }));
    expect(only(end, 'open')).toEqual([]);
    expect(only(end, 'send')[0]).toMatchObject({ conn: V, msg: { req: 'r1', status: 504 } });
  });

  it('does not try a POST again after the response timeout', () => {
    const p = new Driver<ProxyCtx>(l7Proxy, { params: cdn.params });
    p.deliver(ev.connect(V));
    p.deliver(ev.request(V, 'r1', 'down', { nextConn: O(1), method: 'POST' }));
    const fx = p.deliver(ev.timer('req:r1', { nextConn: O(2) }));
    expect(only(fx, 'open')).toEqual([]);
    expect(only(fx, 'send')[0]).toMatchObject({ msg: { status: 504 } });
  });
});

describe('a server with nothing listening', () => {
  it('refuses every connection with a reset marked refused', () => {
    const s = new Driver<{ conns: string[] }>(server, { params: { ...database.params, listening: false } });
    expect(s.deliver(ev.connect('cdn>origin#1'))).toEqual([
      { type: 'reset', conn: 'cdn>origin#1', to: 'down', refused: true, detail: 'nothing listening: connection refused' },
    ]);
    expect(s.ctx.conns).toEqual([]);
  });
});

describe('a client retry policy', () => {
  const C = (n: number) => `client>cdn#${n}`;

  it('has none by default (JMeter: httpclient4.retrycount=0): a lost request is recorded lost', () => {
    const c = new Driver<ClientContext>(clientConnection, { index: 1, params: { ...client.params, requests: 1 } });
    c.deliver(ev.act({ nextConn: C(1) }));
    expect(only(c.deliver(ev.close(C(1), 'up')), 'log')[0]).toMatchObject({ what: 'outcome', req: 'r1.1', status: 0 });
  });

  it('sends an idempotent request again on a new connection after the backoff, and records one outcome', () => {
    const c = new Driver<ClientContext>(clientConnection, { index: 1, params: { ...client.params, requests: 1, retries: 1, retryBackoff: 100 } });
    c.deliver(ev.act({ nextConn: C(1) }));
    const lost = c.deliver(ev.reset(C(1), 'up'));
    expect(only(lost, 'log')[0]).toMatchObject({ what: 'retry', req: 'r1.1' });
    expect(lost).toContainEqual({ type: 'setTimer', key: 'retry', after: 100 });
    const again = c.deliver(ev.timer('retry', { nextConn: C(2) }));
    expect(wireEffects(again)).toEqual([
      { type: 'open', conn: C(2) },
      { type: 'send', conn: C(2), to: 'up', msg: { kind: 'request', req: 'r1.1', method: 'GET' } },
    ]);
    // The second loss has no retry left: one outcome for the request.
    expect(only(c.deliver(ev.reset(C(2), 'up')), 'log')).toEqual([
      { type: 'log', what: 'outcome', req: 'r1.1', status: 0, conn: C(2), detail: 'connection reset' },
    ]);
  });

  it('retries a 503 on the same keep-alive connection, never a POST', () => {
    const c = new Driver<ClientContext>(clientConnection, { index: 1, params: { ...client.params, requests: 2, retries: 2, methods: ['GET', 'POST'] } });
    c.deliver(ev.act({ nextConn: C(1) }));
    c.deliver(ev.response(C(1), 'r1.1', { status: 503 }));
    expect(wireEffects(c.deliver(ev.timer('retry')))).toEqual([{ type: 'send', conn: C(1), to: 'up', msg: { kind: 'request', req: 'r1.1', method: 'GET' } }]);
    c.deliver(ev.response(C(1), 'r1.1'));
    c.deliver(ev.act());
    expect(only(c.deliver(ev.response(C(1), 'r1.2', { status: 503 })), 'log')[0]).toMatchObject({ what: 'outcome', req: 'r1.2', status: 503 });
  });
});

describe('the NLB health checker', () => {
  const params: HealthCheckerParams = {
    requests: 10,
    timeout: healthCheck.timeout,
    interval: healthCheck.interval,
    healthyThreshold: healthCheck.healthyThreshold,
    unhealthyThreshold: healthCheck.unhealthyThreshold,
    reportTo: 'nlb',
    target: 1,
  };
  const H = (n: number) => `health>nginx#${n}`;
  let conns = 0;
  function check(h: Driver<HealthCheckerContext>, outcome: 'ok' | 'timeout' | 'error') {
    const conn = H(++conns);
    h.deliver(ev.timer('pace', { nextConn: conn }));
    const req = h.ctx.outstanding!;
    if (outcome === 'timeout') return h.deliver(ev.timer('timeout'));
    return h.deliver(ev.response(conn, req, { status: outcome === 'ok' ? 200 : 502 }));
  }

  it('uses the target group defaults: every 30 s, 6 s timeout, healthy after 5, unhealthy after 2', () => {
    expect(healthCheck).toMatchObject({ interval: 30_000, timeout: 6_000, healthyThreshold: 5, unhealthyThreshold: 2 });
  });

  it('tells its load balancer the target is unhealthy after 2 failed checks in a row, and healthy after 5 passed', () => {
    const h = new Driver<HealthCheckerContext>(healthChecker, { index: 2, params });
    h.deliver(ev.act());
    expect(only(check(h, 'timeout'), 'notify')).toEqual([]);
    expect(only(check(h, 'error'), 'notify')).toEqual([
      { type: 'notify', to: 'nlb', target: 1, healthy: false, detail: '2 checks failed in a row: target 2 unhealthy' },
    ]);
    for (let k = 0; k < 4; k++) expect(only(check(h, 'ok'), 'notify')).toEqual([]);
    expect(only(check(h, 'ok'), 'notify')).toEqual([{ type: 'notify', to: 'nlb', target: 1, healthy: true, detail: '5 checks passed in a row: target 2 healthy' }]);
  });

  it('starts its count again when a result of the other kind comes', () => {
    const h = new Driver<HealthCheckerContext>(healthChecker, { index: 2, params });
    h.deliver(ev.act());
    check(h, 'timeout');
    check(h, 'ok');
    expect(only(check(h, 'timeout'), 'notify')).toEqual([]);
  });
});
