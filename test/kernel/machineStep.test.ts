/**
 * src/kernel/machineStep.ts: the kernel's pure stepping must agree with
 * XState's own `initialTransition` / `transition` / `snapshot.can`.
 */
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { describe, expect, it } from 'vitest';
import { clientConnection, connectionLimiter, l4LoadBalancer, l7Proxy, server } from '../../models/machines/index.js';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import { app, client, connQueue, database, gateway, nginx, nlb } from '../../models/tiers/index.js';
import { accepts, initialSnapshot, stepMachine } from '../../src/kernel/machineStep.js';
import type { InstanceState } from '../../src/kernel/state.js';
import { ev } from '../machines/drive.js';

const machines = { client: clientConnection, l7Proxy, l4LoadBalancer, connectionLimiter, server };

/** XState's reference answer: next snapshot and the effects emitted, in order. */
function reference(machine: AnyStateMachine, state: InstanceState, event: TierEvent) {
  const snap = machine.resolveState({ value: state.value, context: state.context }) as AnyMachineSnapshot;
  const [next, actions] = transition(machine, snap, event);
  const effects = (actions as readonly { type: string; params?: unknown }[])
    .filter((a) => a.type === 'xstate.emit')
    .map((a) => (a.params as { event: Effect }).event);
  return { value: next.value, context: next.context, effects, can: snap.can(event) };
}

interface Sample {
  name: string;
  machine: AnyStateMachine;
  input: unknown;
  events: TierEvent[];
}

const samples: Sample[] = [
  {
    name: 'client',
    machine: machines.client,
    input: { index: 2, params: { ...client.params, requests: 3, timeout: 900 } },
    events: [
      ev.act({ nextConn: 'c#1' }),
      ev.act({ nextConn: 'c#2' }),
      ev.response('c#1', 'r2.1'),
      ev.act({ nextConn: 'c#2' }),
      ev.response('c#1', 'r2.2', { close: true }),
      ev.act({ nextConn: 'c#2' }),
      ev.timer('timeout'),
      ev.close('c#2', 'up'),
      ev.act({ nextConn: 'c#3' }),
    ],
  },
  {
    name: 'l7Proxy (nginx, perRequest)',
    machine: machines.l7Proxy,
    input: { params: { ...nginx.params, downstreamMaxRequests: 2 } },
    events: [
      ev.connect('d1'),
      ev.request('d1', 'a', 'down', { nextConn: 'u1' }),
      ev.response('u1', 'a'),
      ev.request('d1', 'b', 'down', { nextConn: 'u2' }),
      ev.response('u2', 'b'),
      ev.request('d1', 'c', 'down', { nextConn: 'u3' }),
      ev.connect('d2'),
      ev.timer('idle:d2'),
    ],
  },
  {
    name: 'l7Proxy (gateway fleet)',
    machine: machines.l7Proxy,
    input: { params: gateway.params },
    events: [
      ev.connect('d1'),
      ev.request('d1', 'a', 'down', { pick: 21, nextConn: 'u1' }),
      ev.response('u1', 'a'),
      ev.request('d1', 'b', 'down', { pick: 1, nextConn: 'u2' }),
      ev.timer('req:b'),
      ev.request('d1', 'c', 'down', { pick: 2, nextConn: 'u2' }),
      ev.close('u2', 'up'),
      ev.close('d1', 'down'),
    ],
  },
  {
    name: 'l7Proxy (app, bounded pool)',
    machine: machines.l7Proxy,
    input: { params: { ...app.params, maxUpstream: 1 } },
    events: [
      ev.connect('d1'),
      ev.connect('d2'),
      ev.request('d1', 'a', 'down', { nextConn: 'u1' }),
      ev.request('d2', 'b', 'down', { nextConn: 'u2' }),
      ev.response('u1', 'a'),
      ev.response('u1', 'b'),
      ev.timer('upidle:u1'),
      ev.timer('acquire:zzz'),
    ],
  },
  {
    name: 'connectionLimiter',
    machine: machines.connectionLimiter,
    input: { params: { ...connQueue.params, limit: 1 } },
    events: [
      ev.connect('d1', 'down', { nextConn: 'u1' }),
      ev.connect('d2', 'down', { nextConn: 'u2' }),
      ev.request('d2', 'x'),
      ev.request('d1', 'a'),
      ev.response('u1', 'a', { close: true }),
      ev.close('u1', 'up', { nextConn: 'u2' }),
      ev.reset('d2', 'down', { nextConn: 'u3' }),
    ],
  },
  {
    name: 'l4LoadBalancer',
    machine: machines.l4LoadBalancer,
    input: { params: { ...nlb.params, targets: 2 } },
    events: [
      ev.connect('f', 'down', { pick: 5 }),
      ev.request('f', 'a', 'down'),
      ev.response('f', 'a', { side: 'up' }),
      ev.timer('flow:f'),
      ev.request('f', 'b', 'down'),
      ev.reset('f', 'up'),
    ],
  },
  {
    name: 'server',
    machine: machines.server,
    input: { params: { ...database.params, idleTimeout: 50 } },
    events: [ev.connect('s'), ev.request('s', 'a'), ev.request('t', 'b'), ev.timer('idle:s'), ev.request('s', 'c')],
  },
];

describe('machineStep', () => {
  for (const s of samples) {
    it(`initialSnapshot agrees with initialTransition: ${s.name}`, () => {
      const mine = initialSnapshot(s.machine, s.input);
      const [theirs] = initialTransition(s.machine, s.input);
      expect(mine.value).toEqual(theirs.value);
      expect(mine.context).toEqual(theirs.context);
    });

    it(`stepMachine and accepts agree with transition and can, event by event: ${s.name}`, () => {
      const init = initialSnapshot(s.machine, s.input);
      let state: InstanceState = { value: init.value, context: init.context };
      for (const event of s.events) {
        const ref = reference(s.machine, state, event);
        expect(accepts(s.machine, state, event), `accepts ${event.type}`).toBe(ref.can);
        const { next, effects } = stepMachine(s.machine, state, event);
        expect(next.value, `value after ${event.type}`).toEqual(ref.value);
        expect(next.context, `context after ${event.type}`).toEqual(ref.context);
        expect(effects, `effects of ${event.type}`).toEqual(ref.effects);
        state = next;
      }
    });
  }

  it('does not mutate the state it steps from: stepping it again gives the same result', () => {
    const machine = machines.l7Proxy;
    const init = initialSnapshot(machine, { params: gateway.params });
    const s0: InstanceState = { value: init.value, context: init.context };
    const s1 = stepMachine(machine, s0, ev.connect('d1')).next;
    const frozen = JSON.stringify(s1);
    const a = stepMachine(machine, s1, ev.request('d1', 'a', 'down', { pick: 1, nextConn: 'u1' }));
    const b = stepMachine(machine, s1, ev.request('d1', 'a', 'down', { pick: 2, nextConn: 'u9' }));
    expect(JSON.stringify(s1)).toBe(frozen);
    const again = stepMachine(machine, s1, ev.request('d1', 'a', 'down', { pick: 1, nextConn: 'u1' }));
    expect(again.next).toEqual(a.next);
    expect(again.effects).toEqual(a.effects);
    expect(b.effects).not.toEqual(a.effects);
  });

  it('steps a state rebuilt from plain JSON exactly like the live one (no hidden state in the snapshot cache)', () => {
    const machine = machines.connectionLimiter;
    const init = initialSnapshot(machine, { params: { limit: 1 } });
    let live: InstanceState = { value: init.value, context: init.context };
    live = stepMachine(machine, live, ev.connect('d1', 'down', { nextConn: 'u1' })).next;
    live = stepMachine(machine, live, ev.connect('d2', 'down', { nextConn: 'u2' })).next;
    const plain = JSON.parse(JSON.stringify(live)) as InstanceState;
    const event = ev.close('d1', 'down', { nextConn: 'u2' });
    expect(accepts(machine, plain, ev.request('d2', 'x'))).toBe(accepts(machine, live, ev.request('d2', 'x')));
    const a = stepMachine(machine, live, event);
    const b = stepMachine(machine, plain, event);
    expect(b.next).toEqual(a.next);
    expect(b.effects).toEqual(a.effects);
  });

  it('returns no effects and an equal state for an event the machine does not accept', () => {
    const machine = machines.server;
    const init = initialSnapshot(machine, { params: database.params });
    const s0: InstanceState = { value: init.value, context: init.context };
    expect(accepts(machine, s0, ev.request('nope', 'a'))).toBe(false);
    const { next, effects } = stepMachine(machine, s0, ev.request('nope', 'a'));
    expect(effects).toEqual([]);
    expect(next).toEqual(s0);
  });

  it('keeps every machine context plain data (JSON round-trips it unchanged)', () => {
    for (const s of samples) {
      const init = initialSnapshot(s.machine, s.input);
      let state: InstanceState = { value: init.value, context: init.context };
      for (const event of s.events) state = stepMachine(s.machine, state, event).next;
      expect(JSON.parse(JSON.stringify(state)), s.name).toEqual(state);
    }
  });
});
