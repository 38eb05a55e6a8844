import type { AnyTransitionDefinition } from 'xstate';
import type { TierEvent } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import { traceEvent, type TraceEvent, type TraceEventType } from './events.js';
import { enabledOccurrences, horizonOf, type Occurrence } from './occurrences.js';
import { act, deliver, fire } from './semantics.js';
import type { ConnState, InstanceState, Pending, SystemState } from './state.js';
import type { KernelStore, TraceFields } from './store.js';

/**
 * One scheduling decision: which enabled occurrence (`next`, taken modulo the
 * number enabled), how long after its earliest time (`delay` ms, clamped to
 * the horizon), and which branch for nondeterministic tiers (`pick`).
 * Small numbers are the "obvious" choice, so shrinking towards 0 simplifies.
 */
export interface Choice {
  next: number;
  delay: number;
  pick: number;
}

export const DEFAULT_CHOICE: Choice = { next: 0, delay: 0, pick: 0 };

/** Drops trailing default choices: a run continues with them after its schedule anyway. */
export function withoutDefaultTail(schedule: readonly Choice[]): Choice[] {
  let end = schedule.length;
  while (end > 0 && schedule[end - 1]!.next === 0 && schedule[end - 1]!.delay === 0 && schedule[end - 1]!.pick === 0) end--;
  return schedule.slice(0, end);
}

export interface StepResult {
  state: SystemState;
  events: TraceEvent[];
  occurrence: Occurrence;
  /**
   * The choice as it took effect: `next` the index taken, `delay` the time
   * after the occurrence's earliest, `pick` the branch. Replaying it gives the
   * same step, and it is the smallest choice that does.
   */
  choice: Choice;
  /** The machine transitions the step took, per instance that reacted, in order (for coverage; never in traces). */
  transitions: { instance: string; taken: AnyTransitionDefinition[] }[];
  /**
   * The machine that reacted and the event it was given, or null when nobody
   * did (data that reached an end already closed is answered by the kernel).
   * Reports use it to say which transition fired; exploration ignores it.
   */
  reaction: { at: string; event: TierEvent } | null;
}

type Collection = 'instances' | 'conns' | 'pending' | 'timers' | 'counters' | 'origins';

/**
 * The kernel store over immutable states: the next state of one step, built
 * from the previous one. A collection is copied the first time the step
 * writes it, so a step pays only for what it changes.
 */
class StepStore implements KernelStore {
  readonly s: SystemState;
  readonly events: TraceEvent[] = [];
  readonly tracing = true;
  /** The last machine that reacted in this step and the event it was given (reports say which transition fired). */
  reaction: StepResult['reaction'] = null;
  readonly transitions: StepResult['transitions'] = [];
  private readonly copied = new Set<Collection>();

  constructor(
    readonly model: SystemModel,
    prev: SystemState,
  ) {
    this.s = { ...prev };
  }

  get clock(): number {
    return this.s.clock;
  }

  private own<F extends 'instances' | 'conns' | 'counters' | 'origins'>(field: F): SystemState[F] {
    if (!this.copied.has(field)) {
      this.copied.add(field);
      this.s[field] = { ...this.s[field] };
    }
    return this.s[field];
  }

  instance(id: string): InstanceState {
    return this.s.instances[id]!;
  }
  setInstance(id: string, state: InstanceState) {
    this.own('instances')[id] = state;
  }
  conn(id: string): ConnState | undefined {
    return this.s.conns[id];
  }
  setConn(conn: ConnState) {
    this.own('conns')[conn.id] = conn;
  }
  deleteConn(id: string) {
    delete this.own('conns')[id];
  }
  counter(boundary: string): number {
    return this.s.counters[boundary] ?? 0;
  }
  setCounter(boundary: string, n: number) {
    this.own('counters')[boundary] = n;
  }
  origin(req: string): string | undefined {
    return this.s.origins[req];
  }
  setOrigin(req: string, conn: string) {
    this.own('origins')[req] = conn;
  }
  lastOnChannel(conn: string, from: string, to: string): Pending | undefined {
    const pending = this.s.pending;
    for (let i = pending.length - 1; i >= 0; i--) {
      const p = pending[i]!;
      if (p.conn === conn && p.from === from && p.to === to) return p;
    }
    return undefined;
  }
  nextSeq(): number {
    this.s.seq += 1;
    return this.s.seq;
  }
  addPending(p: Pending) {
    if (!this.copied.has('pending')) {
      this.copied.add('pending');
      this.s.pending = [...this.s.pending];
    }
    this.s.pending.push(p);
  }
  removePending(p: Pending) {
    this.copied.add('pending');
    this.s.pending = this.s.pending.filter((x) => x !== p);
  }
  hasPending(conn: string): boolean {
    return this.s.pending.some((p) => p.conn === conn);
  }
  setTimer(instance: string, key: string, at: number) {
    this.copied.add('timers');
    this.s.timers = this.s.timers.filter((t) => !(t.instance === instance && t.key === key));
    this.s.timers.push({ instance, key, at });
  }
  cancelTimer(instance: string, key: string) {
    const i = this.s.timers.findIndex((t) => t.instance === instance && t.key === key);
    if (i < 0) return;
    this.copied.add('timers');
    this.s.timers = this.s.timers.filter((_, k) => k !== i);
  }
  onReact(at: string, event: TierEvent) {
    this.reaction = { at, event };
  }
  onTaken(instance: string, taken: AnyTransitionDefinition[]) {
    this.transitions.push({ instance, taken });
  }
  log(type: TraceEventType, at: string, fields: TraceFields) {
    this.events.push(traceEvent(this.s.steps, this.s.clock, type, at, fields));
  }
}

/** Take the occurrence `choice` selects; returns null when nothing is enabled (the run is over). */
export function step(model: SystemModel, state: SystemState, choice: Choice, enabled?: Occurrence[]): StepResult | null {
  const occs = enabled ?? enabledOccurrences(model, state);
  if (occs.length === 0) return null;
  const index = choice.next % occs.length;
  const occurrence = occs[index]!;
  const horizon = Math.min(horizonOf(occs), occurrence.latest);
  const t = Math.min(occurrence.earliest + choice.delay, horizon);
  const pick = choice.pick % occurrence.branches;
  const w = new StepStore(model, state);
  w.s.clock = Math.max(state.clock, t);
  w.s.steps = state.steps + 1;
  switch (occurrence.kind) {
    case 'deliver':
      deliver(w, occurrence.msg, pick);
      break;
    case 'timer':
      fire(w, occurrence.at, occurrence.key);
      break;
    case 'act':
      act(w, occurrence.at, pick);
      break;
  }
  return {
    state: w.s,
    events: w.events,
    occurrence,
    choice: { next: index, delay: t > state.clock ? t - occurrence.earliest : 0, pick },
    transitions: w.transitions,
    reaction: w.reaction,
  };
}
