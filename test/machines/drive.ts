/**
 * Test helpers: drive one tier machine by hand through the kernel's pure
 * stepping (stepMachine / initialSnapshot / accepts) and read what it emits.
 * Not a test file itself (no `.test.ts`).
 */
import type { AnyStateMachine, StateValue } from 'xstate';
import type { Effect, Method, Side, TierEvent } from '../../models/machines/vocabulary.js';
import { accepts, initialSnapshot, stepMachine } from '../../src/kernel/machineStep.js';
import type { InstanceState } from '../../src/kernel/state.js';

/** Optional event fields: the schedule's branch and the id of the next connection this tier opens. */
export interface Extra {
  pick?: number;
  nextConn?: string;
}
const base = (x: Extra = {}) => ({ pick: x.pick ?? 0, nextConn: x.nextConn ?? '' });

/** Event builders, shaped as the kernel builds them (src/kernel/wire.ts). */
export const ev = {
  act: (x?: Extra): TierEvent => ({ type: 'ACT', ...base(x) }),
  connect: (conn: string, side: Side = 'down', x?: Extra): TierEvent => ({ type: 'CONNECT', conn, side, ...base(x) }),
  request: (conn: string, req: string, side: Side = 'down', x?: Extra & { method?: Method }): TierEvent => ({
    type: 'REQUEST',
    conn,
    side,
    req,
    method: x?.method ?? 'GET',
    ...base(x),
  }),
  response: (
    conn: string,
    req: string,
    opts: { status?: number; close?: boolean; side?: Side } = {},
    x?: Extra,
  ): TierEvent => ({
    type: 'RESPONSE',
    conn,
    side: opts.side ?? 'up',
    req,
    status: opts.status ?? 200,
    close: opts.close ?? false,
    ...base(x),
  }),
  close: (conn: string, side: Side, x?: Extra): TierEvent => ({ type: 'CLOSE', conn, side, ...base(x) }),
  reset: (conn: string, side: Side, x?: Extra): TierEvent => ({ type: 'RESET', conn, side, ...base(x) }),
  timer: (key: string, x?: Extra): TierEvent => ({ type: 'TIMER', key, ...base(x) }),
};

/** One tier machine, stepped event by event as the kernel steps it. */
export class Driver<C> {
  state: InstanceState;
  /** Effects of the last `send`. */
  last: Effect[] = [];

  constructor(
    readonly machine: AnyStateMachine,
    input: unknown,
  ) {
    const snap = initialSnapshot(machine, input);
    this.state = { value: snap.value, context: snap.context };
  }

  get ctx(): C {
    return this.state.context as C;
  }
  get value(): StateValue {
    return this.state.value;
  }

  accepts(event: TierEvent): boolean {
    return accepts(this.machine, this.state, event);
  }

  /** Steps the machine with `event` (whether or not it accepts it) and returns the effects. */
  send(event: TierEvent): Effect[] {
    const { next, effects } = stepMachine(this.machine, this.state, event);
    this.state = next;
    this.last = effects;
    return effects;
  }

  /** Like `send`, but first insists that the machine reads the event (the kernel would deliver it). */
  deliver(event: TierEvent): Effect[] {
    if (!this.accepts(event)) throw new Error(`machine ${this.machine.id} does not accept ${JSON.stringify(event)}`);
    return this.send(event);
  }
}

/** The effects of one type, in emission order. */
export function only<T extends Effect['type']>(effects: readonly Effect[], type: T): Extract<Effect, { type: T }>[] {
  return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
}

/** The position of the first effect matching `pred` (-1 when none does). */
export function indexOf(effects: readonly Effect[], pred: (e: Effect) => boolean): number {
  return effects.findIndex(pred);
}

/** Effects that reach the network or another tier (everything but timers and logs). */
export function wireEffects(effects: readonly Effect[]): Effect[] {
  return effects.filter((e) => e.type !== 'log' && e.type !== 'setTimer' && e.type !== 'cancelTimer');
}
