/**
 * The compiled stepper (src/kernel/compiledMachine.ts) against XState's own
 * `transition` and `can`: the same random event sequences through both give
 * the same next state value, the same context (field order included), the
 * same effects in the same order, and the same answer to "does it accept
 * this event", event after event, over 10^4 sequences per machine kind.
 */
import { transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { clientConnection, connectionLimiter, l4LoadBalancer, l7Proxy, server } from '../../models/machines/index.js';
import type { Effect, Side, TierEvent } from '../../models/machines/vocabulary.js';
import { compileMachine, UncompilableMachine } from '../../src/kernel/compiledMachine.js';
import { compiledStepper, initialSnapshot } from '../../src/kernel/machineStep.js';
import type { InstanceState } from '../../src/kernel/state.js';
import { nestedChart } from '../fixtures/nestedChart.js';
import { tap } from '../fixtures/tapMachine.js';

const SEQUENCES = 10_000;

/** A small deterministic generator (mulberry32), so a failure names a reproducible sequence. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

/** XState's answer for one event. */
function reference(machine: AnyStateMachine, state: InstanceState, event: TierEvent) {
  const snap = machine.resolveState({ value: state.value, context: state.context }) as AnyMachineSnapshot;
  const can = snap.can(event);
  const [next, actions] = transition(machine, snap, event);
  const effects = (actions as readonly { type: string; params?: unknown }[])
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => (a.params as { event: Effect }).event);
  return { next: { value: next.value, context: next.context as Record<string, unknown> }, effects, can };
}

/** Ids the sequence has seen, so that events name connections, requests and timers the machine knows. */
class Pools {
  conns = ['c1', 'c2'];
  reqs = ['r1.1', 'a'];
  keys = ['timeout', 'pace', 'idle:c1', 'req:a', 'flow:c1', 'x'];
  fresh = 0;
  learn(effects: readonly Effect[], event: TierEvent) {
    if ('conn' in event && !this.conns.includes(event.conn)) this.conns.push(event.conn);
    for (const e of effects) {
      if ('conn' in e && e.conn && !this.conns.includes(e.conn)) this.conns.push(e.conn);
      if (e.type === 'send' && !this.reqs.includes(e.msg.req)) this.reqs.push(e.msg.req);
      if (e.type === 'setTimer' && !this.keys.includes(e.key)) this.keys.push(e.key);
    }
  }
}

function randomEvent(r: Rng, p: Pools): TierEvent {
  const base = { pick: r.int(6), nextConn: `n${++p.fresh}` };
  const conn = r.chance(0.85) ? r.pick(p.conns) : `c${r.int(9)}`;
  const side: Side = r.chance(0.5) ? 'down' : 'up';
  const req = r.chance(0.85) ? r.pick(p.reqs) : `r${r.int(3)}.${r.int(4)}`;
  switch (r.int(7)) {
    case 0:
      return { type: 'ACT', ...base };
    case 1:
      return { type: 'CONNECT', conn: r.chance(0.5) ? `d${p.fresh}` : conn, side, ...base };
    case 2:
      return { type: 'REQUEST', conn, side, req, ...base };
    case 3:
      return { type: 'RESPONSE', conn, side, req, status: r.pick([200, 200, 502, 504]), close: r.chance(0.2), ...base };
    case 4:
      return { type: 'CLOSE', conn, side, ...base };
    case 5:
      return { type: 'RESET', conn, side, ...base };
    default:
      return { type: 'TIMER', key: r.chance(0.9) ? r.pick(p.keys) : `idle:${conn}`, ...base };
  }
}

const nullOr = <T>(r: Rng, v: T): T | null => (r.chance(0.4) ? null : v);

/** Per kind: random inputs covering its parameters' variants. */
const kinds: { name: string; machine: AnyStateMachine; input: (r: Rng) => unknown }[] = [
  {
    name: 'client',
    machine: clientConnection,
    input: (r) => ({
      index: 1 + r.int(3),
      params: {
        requests: 1 + r.int(4),
        timeout: nullOr(r, 50),
        prefix: r.pick(['r', 'h']),
        closeAfterResponse: r.chance(0.3),
        interval: r.chance(0.3) ? 100 : null,
      },
    }),
  },
  {
    name: 'l7Proxy',
    machine: l7Proxy,
    input: (r) => ({
      params: {
        upstreamPolicy: r.pick(['pinned', 'pooled', 'fleet', 'perRequest'] as const),
        workers: 1 + r.int(3),
        spread: r.chance(0.5),
        maxUpstream: nullOr(r, 1 + r.int(2)),
        acquireTimeout: nullOr(r, 100),
        upstreamIdleTimeout: nullOr(r, 100),
        downstreamIdleTimeout: nullOr(r, 100),
        downstreamMaxRequests: nullOr(r, 1 + r.int(2)),
        requestTimeout: nullOr(r, 100),
        timeoutStatus: 504,
      },
    }),
  },
  { name: 'l4LoadBalancer', machine: l4LoadBalancer, input: (r) => ({ params: { targets: 1 + r.int(3), idleTimeout: nullOr(r, 100) } }) },
  {
    name: 'connectionLimiter',
    machine: connectionLimiter,
    input: (r) => ({ params: { limit: 1 + r.int(3), ...(r.chance(0.5) ? { mode: r.pick(['connections', 'requests'] as const) } : {}) } }),
  },
  { name: 'server', machine: server, input: (r) => ({ params: { responseTime: [1, 20], idleTimeout: nullOr(r, 100) } }) },
  { name: 'tap (a plug-in kind, test/fixtures)', machine: tap, input: (r) => ({ params: { log: r.chance(0.5) } }) },
  { name: 'nested statechart (test/fixtures)', machine: nestedChart, input: (r) => ({ n: r.int(6) }) },
];

/** The event types some state of the machine has a transition for that does something (a target or actions). */
function handledTypes(machine: AnyStateMachine): string[] {
  const types = new Set<string>();
  const walk = (n: AnyStateMachine['root']) => {
    for (const [type, ts] of n.transitions) if (ts.some((t) => t.target || t.actions.length > 0)) types.add(type);
    for (const c of Object.values(n.states)) walk(c as AnyStateMachine['root']);
  };
  walk(machine.root);
  return [...types];
}

describe('compiled machines agree with XState', () => {
  for (const kind of kinds) {
    it(`${kind.name}: ${SEQUENCES} random event sequences give the same states, effects and acceptance`, { timeout: 900_000 }, () => {
      const compiled = compiledStepper(kind.machine);
      expect(compiled, 'the kernel steps it compiled, not through XState').not.toBeNull();
      let events = 0;
      let accepted = 0;
      const acceptedByType = new Map<string, number>();
      for (let s = 0; s < SEQUENCES; s++) {
        const r = rng(s + 1);
        const init = initialSnapshot(kind.machine, kind.input(r));
        let state: InstanceState = { value: init.value, context: init.context };
        const pools = new Pools();
        const length = 1 + r.int(12);
        for (let i = 0; i < length; i++) {
          // Mostly events the machine takes (else it would mostly ignore them), sometimes any.
          let event = randomEvent(r, pools);
          for (let tries = 0; tries < 12 && r.chance(0.9) && !compiled!.accepts(state, event); tries++) event = randomEvent(r, pools);
          const ref = reference(kind.machine, state, event);
          const where = `${kind.name}, sequence ${s}, event ${i}: ${JSON.stringify(event)}`;
          const mine = compiled!.step(state, event);
          if (
            mine.accepted !== ref.can ||
            compiled!.accepts(state, event) !== ref.can ||
            JSON.stringify(mine.next.value) !== JSON.stringify(ref.next.value) ||
            JSON.stringify(mine.next.context) !== JSON.stringify(ref.next.context) ||
            JSON.stringify(mine.effects) !== JSON.stringify(ref.effects)
          ) {
            expect({ accepted: mine.accepted, accepts: compiled!.accepts(state, event), ...mine.next, effects: mine.effects }, where).toEqual({
              accepted: ref.can,
              accepts: ref.can,
              ...ref.next,
              effects: ref.effects,
            });
            expect.unreachable(`${where}: field order differs`);
          }
          events++;
          if (ref.can) {
            accepted++;
            acceptedByType.set(event.type, (acceptedByType.get(event.type) ?? 0) + 1);
          }
          pools.learn(ref.effects, event);
          state = ref.next;
        }
      }
      // The sequences exercise the machine, not only its refusals: every event type it handles, many times.
      expect(accepted / events).toBeGreaterThan(0.3);
      for (const type of handledTypes(kind.machine)) expect(acceptedByType.get(type) ?? 0, `${type} accepted`).toBeGreaterThan(50);
    });
  }

  it('refuses a machine using what it does not compile (the kernel then steps it through XState)', async () => {
    const { setup } = await import('xstate');
    const parallel = setup({}).createMachine({ type: 'parallel', states: { a: {}, b: {} } });
    expect(() => compileMachine(parallel)).toThrow(UncompilableMachine);
    expect(compiledStepper(parallel)).toBeNull();
    const plainAction = setup({ actions: { bump: () => {} } }).createMachine({ on: { ACT: { actions: 'bump' } } });
    expect(() => compileMachine(plainAction)).toThrow(/not a pure reaction/);
  });
});
