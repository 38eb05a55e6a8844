/**
 * The l4LoadBalancer machine (the nlb preset): one flow per connection, its
 * target chosen at the handshake and fixed for the flow's life; an idle flow
 * is dropped silently and the next sender on it gets a reset.
 */
import { describe, expect, it } from 'vitest';
import { l4LoadBalancer } from '../../models/machines/l4LoadBalancer.js';
import { nlb } from '../../models/tiers/nlb.js';
import { Driver, ev, only } from './drive.js';

interface Ctx {
  params: { targets: number; idleTimeout: number | null };
  flows: { conn: string; target: number }[];
  unhealthy: number[];
  branching: Record<string, number>;
}

const C = 'gateway>nlb#1';
const IDLE = nlb.params.idleTimeout!;

function balancer(targets = 3) {
  return new Driver<Ctx>(l4LoadBalancer, { params: { ...nlb.params, targets } });
}

describe('l4LoadBalancer as nlb', () => {
  it('uses a 350 s idle timeout and offers one CONNECT branch per target', () => {
    expect(IDLE).toBe(350_000);
    expect(balancer(3).ctx.branching).toEqual({ CONNECT: 3 });
  });

  it('passes a new flow through to target pick % targets and arms its idle timer', () => {
    const b = balancer(3);
    const fx = b.deliver(ev.connect(C, 'down', { pick: 7 }));
    expect(fx).toEqual([
      { type: 'passThrough', conn: C, target: 1 },
      { type: 'setTimer', key: `flow:${C}`, after: IDLE },
    ]);
    expect(b.ctx.flows).toEqual([{ conn: C, target: 1 }]);
  });

  it('keeps the flow on its target for its whole life, whatever later events pick', () => {
    const b = balancer(3);
    b.deliver(ev.connect(C, 'down', { pick: 2 }));
    b.deliver(ev.request(C, 'r1', 'down', { pick: 0 }));
    b.deliver(ev.response(C, 'r1', { side: 'up' }, { pick: 1 }));
    b.deliver(ev.request(C, 'r2', 'down', { pick: 5 }));
    expect(b.ctx.flows).toEqual([{ conn: C, target: 2 }]);
    expect(only(b.last, 'passThrough')).toEqual([]);
  });

  it('forwards a request on the same connection towards the target, and a response back towards the sender', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    expect(only(b.deliver(ev.request(C, 'r1', 'down')), 'send')).toEqual([
      { type: 'send', conn: C, to: 'up', msg: { kind: 'request', req: 'r1', method: 'GET' } },
    ]);
    expect(only(b.deliver(ev.response(C, 'r1', { status: 200, close: true, side: 'up' })), 'send')).toEqual([
      { type: 'send', conn: C, to: 'down', msg: { kind: 'response', req: 'r1', status: 200, close: true } },
    ]);
  });

  it('re-arms the idle timer on every forwarded message', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    expect(only(b.deliver(ev.request(C, 'r1', 'down')), 'setTimer')).toEqual([
      { type: 'setTimer', key: `flow:${C}`, after: IDLE },
    ]);
    expect(only(b.deliver(ev.response(C, 'r1')), 'setTimer')).toEqual([{ type: 'setTimer', key: `flow:${C}`, after: IDLE }]);
  });

  it('drops an idle flow silently: an expire log and nothing to either side', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    const fx = b.deliver(ev.timer(`flow:${C}`));
    expect(fx).toEqual([{ type: 'log', what: 'expire', conn: C, detail: `flow idle ${IDLE} ms, dropped silently` }]);
    expect(b.ctx.flows).toEqual([]);
  });

  it('answers the next request on an expired flow with a reset to its sender (downstream)', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    b.deliver(ev.timer(`flow:${C}`));
    expect(b.deliver(ev.request(C, 'r1', 'down'))).toEqual([
      { type: 'reset', conn: C, to: 'down', detail: 'no flow: it expired at the load balancer' },
    ]);
  });

  it('answers the next message from the target side on an expired flow with a reset to the target side', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    b.deliver(ev.timer(`flow:${C}`));
    expect(b.deliver(ev.response(C, 'r1', { side: 'up' }))).toEqual([
      { type: 'reset', conn: C, to: 'up', detail: 'no flow: it expired at the load balancer' },
    ]);
    expect(b.deliver(ev.close(C, 'up'))).toEqual([
      { type: 'reset', conn: C, to: 'up', detail: 'no flow: it expired at the load balancer' },
    ]);
  });

  it('forwards a close to the other side and keeps the flow until it idles out (assumption: a FIN does not end an NLB flow)', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    expect(b.deliver(ev.close(C, 'up'))).toEqual([
      { type: 'close', conn: C, to: 'down' },
      { type: 'setTimer', key: `flow:${C}`, after: IDLE },
    ]);
    expect(b.ctx.flows).toEqual([{ conn: C, target: 0, closed: true }]);
    expect(only(b.deliver(ev.timer(`flow:${C}`)), 'log')[0]).toMatchObject({ what: 'expire', conn: C });
    expect(b.ctx.flows).toEqual([]);
  });

  it('ends the flow at a FIN when finEndsFlow is set (the alternative reading)', () => {
    const b = new Driver<Ctx>(l4LoadBalancer, { params: { ...nlb.params, targets: 2, finEndsFlow: true } });
    b.deliver(ev.connect(C, 'down'));
    expect(b.deliver(ev.close(C, 'up'))).toEqual([
      { type: 'cancelTimer', key: `flow:${C}` },
      { type: 'close', conn: C, to: 'down' },
    ]);
    expect(b.ctx.flows).toEqual([]);
  });

  it('passes a refusal through: the RST answering a SYN reaches the opener as a refusal', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    expect(only(b.deliver({ type: 'RESET', conn: C, side: 'up', refused: true, pick: 0, nextConn: '' }), 'reset')).toEqual([
      { type: 'reset', conn: C, to: 'down', refused: true },
    ]);
  });

  describe('target health (NLB target group: no new flows to an unhealthy target; fail open when all are)', () => {
    const health = (target: number, healthy: boolean) => ({ type: 'NOTIFY' as const, what: 'targetHealth' as const, target, healthy, from: `health.${target + 1}`, pick: 0, nextConn: '' });

    it('routes new flows only to healthy targets', () => {
      const b = balancer(2);
      b.deliver(health(0, false));
      expect(b.ctx.unhealthy).toEqual([0]);
      for (let pick = 0; pick < 4; pick++) expect(only(b.deliver(ev.connect(`gateway>nlb#${pick + 1}`, 'down', { pick })), 'passThrough')[0]!.target).toBe(1);
    });

    it('fails open when every target is unhealthy: new flows go to all of them', () => {
      const b = balancer(2);
      b.deliver(health(0, false));
      expect(only(b.deliver(health(1, false)), 'log')[0]!.detail).toMatch(/failing open/);
      expect(only(b.deliver(ev.connect(C, 'down', { pick: 0 })), 'passThrough')[0]!.target).toBe(0);
      expect(only(b.deliver(ev.connect('gateway>nlb#2', 'down', { pick: 1 })), 'passThrough')[0]!.target).toBe(1);
    });

    it('resets the client side and the target on the next client packet of a flow to a target that became unhealthy', () => {
      const b = balancer(2);
      b.deliver(ev.connect(C, 'down', { pick: 0 }));
      b.deliver(health(0, false));
      const fx = b.deliver(ev.request(C, 'r1.2', 'down'));
      expect(only(fx, 'reset')).toEqual([
        { type: 'reset', conn: C, to: 'down', detail: 'target 1 is unhealthy' },
        { type: 'reset', conn: C, to: 'up', detail: 'target 1 is unhealthy' },
      ]);
      expect(only(fx, 'send')).toEqual([]);
    });

    it('routes to a target again once it is reported healthy', () => {
      const b = balancer(2);
      b.deliver(health(0, false));
      b.deliver(health(0, true));
      expect(b.ctx.unhealthy).toEqual([]);
      expect(only(b.deliver(ev.connect(C, 'down', { pick: 0 })), 'passThrough')[0]!.target).toBe(0);
    });
  });

  it('forwards a reset as a reset', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    expect(only(b.deliver(ev.reset(C, 'down')), 'reset')).toEqual([{ type: 'reset', conn: C, to: 'up' }]);
  });

  it('keeps independent flows on their own targets', () => {
    const b = balancer(2);
    b.deliver(ev.connect('a', 'down', { pick: 0 }));
    b.deliver(ev.connect('b', 'down', { pick: 1 }));
    b.deliver(ev.timer('flow:a'));
    expect(b.ctx.flows).toEqual([{ conn: 'b', target: 1 }]);
  });

  // An action-less transition would not be enabled for XState's `can()`, so the kernel
  // would leave the RST on the wire forever: the machine logs the drop instead.
  it('reads (and drops) a reset on an expired flow instead of leaving it unread', () => {
    const b = balancer();
    b.deliver(ev.connect(C, 'down'));
    b.deliver(ev.timer(`flow:${C}`));
    expect(b.accepts(ev.reset(C, 'up'))).toBe(true);
    expect(b.send(ev.reset(C, 'up'))).toEqual([
      { type: 'log', what: 'expire', conn: C, detail: 'reset on a flow that no longer exists: dropped' },
    ]);
  });
});
