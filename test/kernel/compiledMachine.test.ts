/**
 * The compiled stepper (src/kernel/compiledMachine.ts) against XState's own
 * `transition` and `can`: the same random event sequences through both give
 * the same next state value, the same context (field order included), the
 * same effects in the same order, and the same answer to "does it accept
 * this event", event after event, over 10^4 sequences per machine kind.
 */
import { transition, type AnyMachineSnapshot, type AnyStateMachine, type AnyTransitionDefinition } from 'xstate';
import { describe, expect, it } from 'vitest';
import { clientConnection, connectionLimiter, healthChecker, l4LoadBalancer, l7Proxy, server } from '../../models/machines/index.js';
import { METHODS, type Effect, type Side, type TierEvent } from '../../models/machines/vocabulary.js';
import { compileMachine, UncompilableMachine } from '../../src/kernel/compiledMachine.js';
import { compiledStepper, initialSnapshot, xstateStep } from '../../src/kernel/machineStep.js';
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

/** A transition, as a test failure shows it: its source state, event and guard. */
const describeTransition = (t: AnyTransitionDefinition) => `${t.source.id} ${t.eventType || '(always)'} [${typeof t.guard === 'string' ? t.guard : t.guard ? JSON.stringify(t.guard) : ''}]`;

/** Ids the sequence has seen, so that events name connections, requests and timers the machine knows. */
class Pools {
  conns = ['c1', 'c2'];
  reqs = ['r1.1', 'a'];
  keys = ['timeout', 'pace', 'retry', 'throttle', 'idle:c1', 'first:c1', 'upidle:c1', 'req:a', 'acquire:a', 'flow:c1', 'x'];
  fresh = 0;
  /** The key of the timer last set: the one most likely to fire next. */
  lastTimer = 'x';
  learn(effects: readonly Effect[], event: TierEvent) {
    if ('conn' in event && !this.conns.includes(event.conn)) this.conns.push(event.conn);
    for (const e of effects) {
      if ('conn' in e && e.conn && !this.conns.includes(e.conn)) this.conns.push(e.conn);
      if (e.type === 'send' && !this.reqs.includes(e.msg.req)) this.reqs.push(e.msg.req);
      if (e.type === 'setTimer' && !this.keys.includes(e.key)) this.keys.push(e.key);
      if (e.type === 'setTimer') this.lastTimer = e.key;
    }
  }
}

function randomEvent(r: Rng, p: Pools): TierEvent {
  const base = { pick: r.int(6), nextConn: `n${++p.fresh}` };
  // Often the newest connection and request: what a machine just opened or sent is what answers concern.
  const conn = r.chance(0.25) ? p.conns[p.conns.length - 1]! : r.chance(0.8) ? r.pick(p.conns) : `c${r.int(9)}`;
  const side: Side = r.chance(0.5) ? 'down' : 'up';
  const req = r.chance(0.25) ? p.reqs[p.reqs.length - 1]! : r.chance(0.8) ? r.pick(p.reqs) : `r${r.int(3)}.${r.int(4)}`;
  switch (r.int(9)) {
    case 0:
      return { type: 'ACT', ...base };
    case 1:
      return { type: 'CONNECT', conn: r.chance(0.5) ? `d${p.fresh}` : conn, side, ...base };
    case 2:
      return { type: 'REQUEST', conn, side, req, method: r.chance(0.6) ? 'GET' : r.pick(METHODS), ...base };
    case 3:
      return { type: 'RESPONSE', conn, side, req, status: r.pick([200, 200, 302, 429, 502, 503, 504]), close: r.chance(0.2), ...base };
    case 4:
      return { type: 'CLOSE', conn, side, ...base };
    case 5:
      // A refused connection attempt, sometimes.
      return r.chance(0.3) ? { type: 'RESET', conn, side, refused: true, ...base } : { type: 'RESET', conn, side, ...base };
    case 6:
      return { type: 'NOTIFY', what: 'targetHealth', target: r.int(3), healthy: r.chance(0.5), from: 'health.1', ...base };
    case 7:
      return { type: 'THROTTLE', rate: r.chance(0.2) ? null : r.pick([1, 2, 150, 4000]), burst: r.chance(0.3) ? null : r.pick([1, 2, 5]), from: 'scenario', ...base };
    default:
      return { type: 'TIMER', key: r.chance(0.3) ? p.lastTimer : r.chance(0.9) ? r.pick(p.keys) : `idle:${conn}`, ...base };
  }
}

const nullOr = <T>(r: Rng, v: T): T | null => (r.chance(0.4) ? null : v);

/** An effect by what it does: `log:retry`, `reset:refused`, `notify`, `send`. */
const effectKind = (e: Effect) => (e.type === 'log' ? `log:${e.what}` : e.type === 'reset' && e.refused ? 'reset:refused' : e.type);

/** Per kind: random inputs covering its parameters' variants, and effects the sequences must produce (its newer behaviours). */
const kinds: { name: string; machine: AnyStateMachine; input: (r: Rng) => unknown; covers?: string[] }[] = [
  {
    name: 'client',
    machine: clientConnection,
    input: (r) => ({
      index: 1 + r.int(3),
      params: {
        requests: 1 + r.int(4),
        timeout: nullOr(r, 50),
        closeAfterResponse: r.chance(0.3),
        ...(r.chance(0.5) ? { methods: r.pick([['GET'], ['POST'], ['GET', 'POST'], ['PUT', 'PATCH', 'HEAD']]) } : {}),
        ...(r.chance(0.6) ? { retries: r.int(3), retryBackoff: r.pick([0, 100]) } : {}),
      },
    }),
    covers: ['log:retry', 'log:outcome', 'log:timeout'],
  },
  {
    name: 'healthChecker',
    machine: healthChecker,
    input: (r) => ({
      index: 1 + r.int(3),
      params: {
        requests: 3 + r.int(6),
        timeout: 50,
        interval: 100,
        healthyThreshold: 1 + r.int(3),
        unhealthyThreshold: 1 + r.int(3),
        reportTo: r.chance(0.7) ? 'nlb' : null,
        target: r.int(2),
      },
    }),
    covers: ['notify', 'log:start', 'log:outcome', 'log:timeout'],
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
        reuse: r.pick(['mru', 'lru', 'oldest'] as const),
        firstRequestTimeout: nullOr(r, 100),
        connectAttempts: 1 + r.int(3),
        timeoutAttempts: 1 + r.int(3),
        retryCachedFailures: r.chance(0.5),
        cancelOnAbandon: r.chance(0.5),
        // A throttle in a third of the machines (a small bucket, so that it runs out), none in the rest.
        ...(r.chance(0.35) ? { throttleRate: r.pick([1, 3, 1000]), throttleBurst: nullOr(r, 1 + r.int(3)) } : {}),
      },
    }),
    covers: ['log:retry', 'log:throttle', 'log:timeout', 'log:abandon', 'log:idle-close'],
  },
  {
    name: 'l4LoadBalancer',
    machine: l4LoadBalancer,
    input: (r) => ({ params: { targets: 1 + r.int(3), idleTimeout: nullOr(r, 100), finEndsFlow: r.chance(0.5), resetUnhealthyFlows: r.chance(0.7) } }),
    covers: ['log:health', 'reset:refused', 'log:expire'],
  },
  {
    name: 'connectionLimiter',
    machine: connectionLimiter,
    input: (r) => ({ params: { limit: 1 + r.int(3), ...(r.chance(0.5) ? { mode: r.pick(['connections', 'requests'] as const) } : {}) } }),
  },
  {
    name: 'server',
    machine: server,
    input: (r) => ({ params: { responseTime: [1, 20], idleTimeout: nullOr(r, 100), ...(r.chance(0.3) ? { listening: r.chance(0.3) } : {}) } }),
    covers: ['reset:refused'],
  },
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
      const emitted = new Map<string, number>();
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
          const before = JSON.stringify(state.context);
          const ref = reference(kind.machine, state, event);
          const where = `${kind.name}, sequence ${s}, event ${i}: ${JSON.stringify(event)}`;
          const taken: AnyTransitionDefinition[] = [];
          const mine = compiled!.step(state, event, taken);
          // The transitions taken (check's coverage counts them) are XState's own definitions, in XState's order.
          const refTaken = xstateStep(kind.machine, state, event).taken;
          if (taken.length !== refTaken.length || taken.some((t, k) => t !== refTaken[k]))
            expect(taken.map(describeTransition), `${kind.name}, sequence ${s}, event ${i}: transitions taken`).toEqual(refTaken.map(describeTransition));
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
          // A reaction leaves the state it started from as it was (exploration keeps it; machines copy only what they change).
          if (JSON.stringify(state.context) !== before) expect(JSON.parse(JSON.stringify(state.context)), `${where}: the state it started from changed`).toEqual(JSON.parse(before));
          events++;
          if (ref.can) {
            accepted++;
            acceptedByType.set(event.type, (acceptedByType.get(event.type) ?? 0) + 1);
          }
          for (const e of ref.effects) emitted.set(effectKind(e), (emitted.get(effectKind(e)) ?? 0) + 1);
          pools.learn(ref.effects, event);
          state = ref.next;
        }
      }
      // The sequences exercise the machine, not only its refusals: every event type it handles, many times.
      expect(accepted / events).toBeGreaterThan(0.3);
      for (const type of handledTypes(kind.machine)) expect(acceptedByType.get(type) ?? 0, `${type} accepted`).toBeGreaterThan(50);
      for (const what of kind.covers ?? []) expect(emitted.get(what) ?? 0, `${what} emitted`).toBeGreaterThan(20);
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
