/**
 * The l7Proxy machine's throttle alone (API Gateway's token bucket): a burst
 * passes at once, the next request is answered 429 on its own connection,
 * the refill timer gives tokens back at the rate, and a control-plane
 * THROTTLE event changes the rate and burst (or switches it on and off).
 */
import { describe, expect, it } from 'vitest';
import { l7Proxy, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import type { TierEvent } from '../../models/machines/vocabulary.js';
import { gateway } from '../../models/tiers/gateway.js';
import { refillPeriod } from '../../models/machines/l7Proxy/throttle.js';
import { Driver, ev, only } from './drive.js';

interface Ctx {
  throttle?: { rate: number; burst: number; tokens: number } | null;
  down: { id: string; served: number; busy: string | null }[];
  inflight: { req: string }[];
}

const D = (n: number) => `cdn>gateway#${n}`;
const up = (n: number) => `gateway>nlb#${n}`;
const throttle = (rate: number | null, burst: number | null = null, from = 'operator'): TierEvent => ({ type: 'THROTTLE', rate, burst, from, pick: 0, nextConn: '' });

/** A gateway with `n` client connections open. */
function gatewayWith(params: Partial<L7ProxyParams>, n = 4) {
  const p = new Driver<Ctx>(l7Proxy, { params: { ...gateway.params, ...params } });
  for (let i = 1; i <= n; i++) p.deliver(ev.connect(D(i)));
  return p;
}

/** Sends request `req` on client connection `i`; returns the status it was answered with at once (429), or null when it went upstream. */
function ask(p: Driver<Ctx>, i: number, req: string, next: number): number | null {
  const fx = p.deliver(ev.request(D(i), req, 'down', { nextConn: up(next) }));
  const answer = only(fx, 'send').find((e) => e.to === 'down');
  return answer && answer.msg.kind === 'response' ? answer.msg.status : null;
}

describe('the l7Proxy throttle', () => {
  it('is absent unless configured: the gateway preset has none, and its context has no bucket', () => {
    expect(gateway.params.throttleRate).toBeNull();
    expect(gateway.sources.throttleRate?.ref).toMatch(/API Gateway quotas.*10,000 requests\/s.*burst 5,000/);
    const p = gatewayWith({});
    expect('throttle' in p.ctx).toBe(false);
    for (let k = 1; k <= 4; k++) expect(ask(p, k, `r${k}`, k)).toBeNull();
  });

  it('lets a burst through at once, then answers 429 on the request’s own connection, which stays open and idle', () => {
    const p = gatewayWith({ throttleRate: 1, throttleBurst: 2 });
    expect(p.ctx.throttle).toEqual({ rate: 1, burst: 2, tokens: 2 });
    expect(ask(p, 1, 'r1', 1)).toBeNull();
    // The first token taken starts the refill timer: one token's worth of time at 1 request/s.
    expect(p.last).toContainEqual({ type: 'setTimer', key: 'throttle', after: 1000 });
    expect(ask(p, 2, 'r2', 2)).toBeNull();
    expect(only(p.last, 'setTimer').filter((t) => t.key === 'throttle')).toEqual([]);
    expect(ask(p, 3, 'r3', 3)).toBe(429);
    expect(p.last).toContainEqual({ type: 'log', what: 'throttle', req: 'r3', conn: D(3), status: 429, detail: 'over 1 requests/s, burst 2' });
    expect(only(p.last, 'open')).toEqual([]);
    expect(only(p.last, 'close')).toEqual([]);
    expect(p.ctx.inflight.map((f) => f.req)).toEqual(['r1', 'r2']);
    expect(p.ctx.down.find((d) => d.id === D(3))).toMatchObject({ served: 1, busy: null });
  });

  it('counts a 429 among the requests of its connection: keepalive_requests closes it after the answer', () => {
    const p = gatewayWith({ throttleRate: 1, throttleBurst: 1, downstreamMaxRequests: 2 });
    expect(ask(p, 1, 'r1', 1)).toBeNull();
    p.deliver(ev.response(up(1), 'r1'));
    expect(ask(p, 1, 'r2', 2)).toBe(429);
    expect(only(p.last, 'send')).toEqual([{ type: 'send', conn: D(1), to: 'down', msg: { kind: 'response', req: 'r2', status: 429, close: true } }]);
    expect(only(p.last, 'close').map((c) => c.conn)).toEqual([D(1)]);
  });

  it('refills at the rate: each timer gives back rate × period tokens, up to the burst, and stops when full', () => {
    const p = gatewayWith({ throttleRate: 150, throttleBurst: 3 });
    expect(refillPeriod(150)).toBe(7);
    for (let k = 1; k <= 3; k++) ask(p, k, `r${k}`, k);
    expect(ask(p, 4, 'r4', 4)).toBe(429);
    expect(p.ctx.throttle!.tokens).toBe(0);
    p.deliver(ev.timer('throttle'));
    expect(p.ctx.throttle!.tokens).toBeCloseTo(1.05, 10);
    expect(p.last).toEqual([{ type: 'setTimer', key: 'throttle', after: 7 }]);
    p.deliver(ev.timer('throttle'));
    p.deliver(ev.timer('throttle'));
    expect(p.ctx.throttle!.tokens).toBe(3);
    expect(p.last).toEqual([]);
    // Over any stretch: at most burst + rate × time (here 3 + 150/s × 21 ms, about 6).
  });

  it('lets a request through again once a refill has given back a whole token', () => {
    const p = gatewayWith({ throttleRate: 2, throttleBurst: 1 });
    expect(ask(p, 1, 'r1', 1)).toBeNull();
    expect(ask(p, 2, 'r2', 2)).toBe(429);
    expect(refillPeriod(2)).toBe(500);
    p.deliver(ev.timer('throttle'));
    expect(ask(p, 2, 'r3', 3)).toBeNull();
  });

  it('changes rate and burst on a THROTTLE event from the control plane, keeping the tokens it has (at most the new burst)', () => {
    const p = gatewayWith({ throttleRate: 10, throttleBurst: 4 });
    ask(p, 1, 'r1', 1);
    ask(p, 2, 'r2', 2);
    expect(p.ctx.throttle!.tokens).toBe(2);
    const fx = p.deliver(throttle(1000, 1));
    expect(p.ctx.throttle).toEqual({ rate: 1000, burst: 1, tokens: 1 });
    // Full at the new burst: no refill needed; the old rate's timer is cancelled.
    expect(fx).toEqual([
      { type: 'cancelTimer', key: 'throttle' },
      { type: 'log', what: 'throttle', detail: 'throttle 1000 requests/s, burst 1 (set by operator)' },
    ]);
    p.deliver(throttle(5, 10));
    expect(p.ctx.throttle).toEqual({ rate: 5, burst: 10, tokens: 1 });
    expect(p.last).toContainEqual({ type: 'setTimer', key: 'throttle', after: 200 });
  });

  it('is switched on (with a full bucket, burst one second of the rate) and off by THROTTLE events', () => {
    const p = gatewayWith({}, 2);
    p.deliver(throttle(1));
    expect(p.ctx.throttle).toEqual({ rate: 1, burst: 1, tokens: 1 });
    expect(ask(p, 1, 'r1', 1)).toBeNull();
    expect(ask(p, 2, 'r2', 2)).toBe(429);
    p.deliver(throttle(null));
    expect(p.ctx.throttle).toBeNull();
    expect(p.last).toContainEqual({ type: 'log', what: 'throttle', detail: 'throttle off (set by operator)' });
    expect(ask(p, 2, 'r3', 3)).toBeNull();
    // A refill timer of the old bucket that still fires does nothing.
    expect(p.accepts(ev.timer('throttle'))).toBe(false);
  });

  it('throttles in every policy, before any upstream connection is chosen', () => {
    for (const upstreamPolicy of ['pinned', 'pooled', 'perRequest', 'fleet'] as const) {
      const p = gatewayWith({ upstreamPolicy, throttleRate: 1, throttleBurst: 1 }, 2);
      expect(ask(p, 1, 'r1', 1), upstreamPolicy).toBeNull();
      expect(ask(p, 2, 'r2', 2), upstreamPolicy).toBe(429);
    }
  });
});
