import type { AnyTransitionDefinition } from 'xstate';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import { traceEvent, type TraceEvent, type TraceEventType } from './events.js';
import { stepMachine } from './machineStep.js';
import { enabledOccurrences, horizonOf, type Occurrence } from './occurrences.js';
import type { ConnState, Pending, SystemState, TimerState, Wire } from './state.js';
import { instanceId } from '../../models/ids.js';
import { REQUESTER_ROLES } from '../../models/machines/index.js';
import { boundaryOf, connEvent, neighbour, nextConnFor } from './wire.js';

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

/** Mutable working copy of a state for one step; every collection touched is copied first. */
class StepWork {
  readonly s: SystemState;
  readonly events: TraceEvent[] = [];
  readonly transitions: StepResult['transitions'] = [];
  constructor(
    readonly model: SystemModel,
    prev: SystemState,
    readonly step: number,
  ) {
    // counters and origins change on few steps: they are copied on first write (see writable()).
    this.s = {
      ...prev,
      instances: { ...prev.instances },
      conns: { ...prev.conns },
      pending: [...prev.pending],
      timers: [...prev.timers],
    };
  }
  private copied = new Set<'counters' | 'origins'>();
  reaction: StepResult['reaction'] = null;
  writable<F extends 'counters' | 'origins'>(field: F): SystemState[F] {
    if (!this.copied.has(field)) {
      this.copied.add(field);
      this.s[field] = { ...this.s[field] };
    }
    return this.s[field];
  }
  /** Connections a tier refused in this step (an RST answering their SYN): their handshake is not logged as accepted. */
  readonly refused = new Set<string>();
  log(type: TraceEventType, at: string, fields: Parameters<typeof traceEvent>[4] = {}) {
    this.events.push(traceEvent(this.step, this.s.clock, type, at, fields));
  }
  originOf(req: string | undefined): string | undefined {
    return req === undefined ? undefined : this.s.origins[req];
  }
  enqueue(conn: string, from: string, to: string, wire: Wire, latency: readonly [number, number]) {
    let earliest = this.s.clock + latency[0];
    let latest = this.s.clock + latency[1];
    // TCP is FIFO per direction: never let a later message overtake an earlier one.
    for (let i = this.s.pending.length - 1; i >= 0; i--) {
      const p = this.s.pending[i]!;
      if (p.conn === conn && p.from === from && p.to === to) {
        earliest = Math.max(earliest, p.earliest);
        latest = Math.max(latest, p.latest);
        break;
      }
    }
    this.s.seq += 1;
    this.s.pending.push({ seq: this.s.seq, conn, from, to, wire, earliest, latest });
  }
  markDone(connId: string, instance: string) {
    const c = this.s.conns[connId];
    if (!c || c.done.includes(instance)) return;
    const done = [...c.done, instance];
    // Forget a connection once every end is done with it and nothing is left on the wire.
    if (done.length >= c.path.length && !this.s.pending.some((p) => p.conn === connId)) delete this.s.conns[connId];
    else this.s.conns[connId] = { ...c, done };
  }
  setTimer(instance: string, key: string, at: number) {
    this.s.timers = this.s.timers.filter((t) => !(t.instance === instance && t.key === key));
    this.s.timers.push({ instance, key, at });
  }
  cancelTimer(instance: string, key: string) {
    this.s.timers = this.s.timers.filter((t) => !(t.instance === instance && t.key === key));
  }

  /** Runs `event` through the instance's machine and carries out the effects it emits. */
  react(instance: string, event: TierEvent) {
    const spec = this.model.byId.get(instance)!;
    this.reaction = { at: instance, event };
    const { next, effects, taken } = stepMachine(spec.machine, this.s.instances[instance]!, event);
    this.s.instances[instance] = next;
    this.transitions.push({ instance, taken });
    for (const e of effects) this.apply(instance, event, e);
  }

  apply(at: string, cause: TierEvent, e: Effect) {
    const latency = this.model.topology.latency;
    switch (e.type) {
      case 'open': {
        if (e.conn !== cause.nextConn) throw new Error(`${at} opened ${e.conn}, expected ${cause.nextConn}`);
        const boundary = boundaryOf(this.model, at)!;
        const peer = this.model.nextHop(at)!;
        this.writable('counters')[boundary] = (this.s.counters[boundary] ?? 0) + 1;
        this.s.conns[e.conn] = { id: e.conn, path: [at, peer], done: [] };
        this.log('connect', at, { peer, conn: e.conn, req: e.req, origin: this.originOf(e.req), detail: e.detail });
        this.enqueue(e.conn, at, peer, { kind: 'syn' }, latency);
        return;
      }
      case 'passThrough': {
        const c = this.s.conns[e.conn]!;
        const peer = this.model.nextHop(at, e.target)!;
        this.s.conns[e.conn] = { ...c, path: [...c.path, peer] };
        this.log('connect', at, { peer, conn: e.conn, detail: `target ${e.target + 1}` });
        this.enqueue(e.conn, at, peer, { kind: 'syn' }, latency);
        return;
      }
      case 'send': {
        const c = this.s.conns[e.conn];
        const peer = c && neighbour(c, at, e.to);
        if (!c || !peer) throw new Error(`${at} sent on ${e.conn}, which has no ${e.to} side`);
        if (e.msg.kind === 'request' && c.path[0] === at && REQUESTER_ROLES.has(this.model.byId.get(at)!.descriptor.role))
          this.writable('origins')[e.msg.req] = e.conn;
        const m = e.msg;
        this.log('send', at, {
          peer,
          conn: e.conn,
          msg: m.kind,
          req: m.req,
          method: m.kind === 'request' ? m.method : undefined,
          origin: this.originOf(m.req),
          status: m.kind === 'response' ? m.status : undefined,
          close: m.kind === 'response' && m.close ? true : undefined,
        });
        this.enqueue(e.conn, at, peer, m, e.latency ?? latency);
        return;
      }
      case 'close':
      case 'reset': {
        const c = this.s.conns[e.conn];
        const peer = c && neighbour(c, at, e.to);
        if (!c || !peer) throw new Error(`${at} closed ${e.conn}, which has no ${e.to} side`);
        this.log(e.type, at, { peer, conn: e.conn, detail: e.detail });
        const wire: Wire = e.type === 'close' ? { kind: 'fin' } : e.refused ? { kind: 'rst', refused: true } : { kind: 'rst' };
        if (e.type === 'reset' && e.refused) this.refused.add(e.conn);
        this.enqueue(e.conn, at, peer, wire, latency);
        this.markDone(e.conn, at);
        return;
      }
      case 'notify': {
        const to = instanceId(e.to, 0);
        const spec = this.model.byId.get(to);
        if (!spec) throw new Error(`${at} notified ${e.to}, which is not a shared tier of this topology`);
        this.log('notify', at, { peer: to, detail: e.detail });
        this.react(to, { type: 'NOTIFY', what: 'targetHealth', target: e.target, healthy: e.healthy, from: at, pick: 0, nextConn: nextConnFor(this.model, this.s, to) });
        return;
      }
      case 'setTimer':
        this.setTimer(at, e.key, this.s.clock + e.after);
        return;
      case 'cancelTimer':
        this.cancelTimer(at, e.key);
        return;
      case 'log':
        this.log(e.what, at, { conn: e.conn, req: e.req, origin: this.originOf(e.req), status: e.status, detail: e.detail });
        return;
    }
  }

  deliver(p: Pending, pick: number) {
    this.s.pending = this.s.pending.filter((x) => x !== p);
    const c: ConnState | undefined = this.s.conns[p.conn];
    const w = p.wire;
    const fields = { peer: p.from, conn: p.conn };
    if (!c || c.done.includes(p.to)) {
      // This end is already closed: the kernel's TCP stack answers data with an RST, and drops FIN/RST.
      if (w.kind === 'fin' || w.kind === 'rst') {
        this.log(w.kind === 'fin' ? 'closed' : 'aborted', p.to, { ...fields, detail: 'already closed here' });
      } else {
        this.log('reset', p.to, { ...fields, req: 'req' in w ? w.req : undefined, detail: `${w.kind} arrived after this end closed` });
        if (c) this.enqueue(p.conn, p.to, p.from, { kind: 'rst' }, this.model.topology.latency);
      }
      if (c) this.gc(p.conn);
      return;
    }
    const event = connEvent(this.model, this.s, p, pick);
    const at = this.events.length;
    if (w.kind === 'fin') this.log('closed', p.to, fields);
    else if (w.kind === 'rst') this.log('aborted', p.to, w.refused ? { ...fields, detail: 'connection refused' } : fields);
    else if (w.kind !== 'syn')
      this.log('recv', p.to, {
        ...fields,
        msg: w.kind,
        req: w.req,
        method: w.kind === 'request' ? w.method : undefined,
        origin: this.originOf(w.req),
        status: w.kind === 'response' ? w.status : undefined,
        close: w.kind === 'response' && w.close ? true : undefined,
      });
    this.react(p.to, event);
    // A handshake is accepted unless the tier refused it; logged before what the tier did in reply.
    if (w.kind === 'syn' && !this.refused.has(p.conn)) this.events.splice(at, 0, traceEvent(this.step, this.s.clock, 'accept', p.to, fields));
    if (w.kind === 'fin' || w.kind === 'rst') this.markDone(p.conn, p.to);
    this.gc(p.conn);
  }

  gc(connId: string) {
    const c = this.s.conns[connId];
    if (c && c.done.length >= c.path.length && !this.s.pending.some((p) => p.conn === connId)) delete this.s.conns[connId];
  }

  fire(t: TimerState) {
    this.s.timers = this.s.timers.filter((x) => x !== t);
    this.log('timer', t.instance, { key: t.key });
    this.react(t.instance, { type: 'TIMER', key: t.key, pick: 0, nextConn: nextConnFor(this.model, this.s, t.instance) });
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
  const w = new StepWork(model, state, state.steps + 1);
  w.s.clock = Math.max(state.clock, t);
  w.s.steps = state.steps + 1;
  switch (occurrence.kind) {
    case 'deliver':
      w.deliver(occurrence.msg, pick);
      break;
    case 'timer':
      w.fire(state.timers.find((x) => x.instance === occurrence.at && x.key === occurrence.key)!);
      break;
    case 'act':
      w.react(occurrence.at, { type: 'ACT', pick, nextConn: nextConnFor(model, w.s, occurrence.at) });
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
