import type { SystemModel } from '../../../models/system.js';
import { enabledOccurrences, eventTypeOf, type Occurrence } from '../../kernel/occurrences.js';
import { initialState, type Pending, type SystemState, type TimerState } from '../../kernel/state.js';
import { step } from '../../kernel/step.js';
import type { TraceEvent } from '../../kernel/events.js';
import { constantOf, constrain, copyZone, extrapolate, INF, isEmpty, isStrict, le, remap, up, upSome, zeroZone, type Zone } from './dbm.js';

/**
 * Symbolic states: the kernel's discrete state with time taken out, and a zone.
 *
 * The kernel runs in concrete time: a message is deliverable in
 * [sent + min, sent + max] of its latency window, a timer fires exactly
 * `after` ms after it was set, and time may not pass the deadline of a
 * deliverable message or a timer. That is a (closed, diagonal-free) timed
 * automaton with one clock per message and per timer, so we explore it as
 * timed-automata checkers do: each state carries a zone (a DBM) over the
 * clocks of the messages and timers pending, instead of a clock value.
 *
 * The discrete part never depends on time (tier machines never read the
 * clock), so successors are computed by the kernel's own `step` on a
 * "time-neutral" copy of the state (every time 0; the step runs at time 1),
 * and the time windows of what that step sent or armed are read off the
 * result: a message sent with window [1 + min, 1 + max], a timer at 1 + after.
 *
 * A clock per message: `g` (its age, for the guard age >= min) and `d` (its
 * deadline clock, bound U). They are one clock except when the kernel's FIFO
 * rule lifts a message's deadline to the previous message's on the same
 * channel (only when windows differ): then `d` is that message's clock.
 * A message that was parked (its receiver not reading) past its deadline must
 * go as soon as it becomes readable: such states are urgent (no time passes).
 */
export interface SymState {
  /** The discrete state, with every time set to 0 (`clock`, message windows, timer deadlines). */
  state: SystemState;
  /** Per pending message (state order): guard clock, deadline clock, min latency, deadline bound. */
  pend: Int32Array;
  /** Per timer (state order): clock, delay. */
  tim: Int32Array;
  /** The zone when the state is entered (before time passes), canonical and extrapolated. */
  zone: Zone;
  /** Concretisation only: the path step at which each clock was last reset. */
  born?: number[];
  /**
   * `activity` time only: per clock, the activity that reset it (the client
   * or health checker whose action, directly or through a chain of messages
   * and timers, caused the step). Constraints between clocks of different
   * activities are dropped (see `separate`).
   */
  activity?: Int32Array;
}

/** Which successor: the occurrence's index in the enabled list, the branch, the zone part, the FIFO split variant. */
export interface Transition {
  occ: number;
  pick: number;
  part: number;
  variant: number;
}

/** A difference constraint between the times of path steps: t[a] - t[b] <= c. */
export interface StepConstraint {
  a: number;
  b: number;
  c: number;
}

export interface ExpandOptions {
  /** Explore one branch per class of interchangeable ones (the machine's `distinctPicks`: one empty fleet worker for all). */
  pruneBranches: boolean;
  /** Drop the constraints between clocks of different activities (an over-approximation; see docs/exhaustive.md). */
  perActivity?: boolean;
  /** Concretisation: take only this transition and log its constraints; `at` is its step number. */
  only?: { trans: Transition; at: number; log: StepConstraint[] };
}

export interface Successor {
  sym: SymState;
  events: TraceEvent[];
  trans: Transition;
  occurrence: Occurrence;
}

const channelOf = (p: Pending) => `${p.conn}|${p.from}|${p.to}`;

export function initialSymState(model: SystemModel): SymState {
  return {
    state: initialState(model),
    pend: new Int32Array(0),
    tim: new Int32Array(0),
    zone: zeroZone(1),
    born: [0],
    activity: new Int32Array(1),
  };
}

interface Part {
  /** 0: time may pass; 1 + k: urgent, the k-th deliverable message (in `heads` order) is the first overdue one. */
  id: number;
  z: Zone;
  urgent: boolean;
  /** constraints that define the part, at the state's entry time: [clock, bound as x - 0 (upper) or 0 - x (lower)] */
  entry: { i: number; j: number; b: number }[];
}

/**
 * The branches of an occurrence worth exploring: its machine's classes of
 * interchangeable outcomes (a fleet: each worker holding something, one
 * empty worker), or every branch.
 */
function distinctPicks(model: SystemModel, state: SystemState, occ: Occurrence): number[] {
  const d = model.byId.get(occ.at)!.descriptor;
  const all = () => Array.from({ length: occ.branches }, (_, p) => p);
  return d.distinctPicks ? d.distinctPicks(state.instances[occ.at]!.context, eventTypeOf(occ), occ.branches) : all();
}

/**
 * Calls `visit` for every symbolic successor of `node`; returns the number of
 * enabled occurrences (0: the state is quiescent, nothing can ever happen).
 */
export function expand(
  model: SystemModel,
  node: SymState,
  options: ExpandOptions,
  visit: (s: Successor) => void,
): number {
  const { state, pend, tim, zone } = node;
  const occs = enabledOccurrences(model, state);
  if (occs.length === 0) return 0;
  const pIndex = new Map<Pending, number>();
  state.pending.forEach((p, i) => pIndex.set(p, i));
  const tIndex = new Map<TimerState, number>();
  state.timers.forEach((t, i) => tIndex.set(t, i));
  const log = options.only?.log;
  const at = options.only?.at ?? 0;
  const born = node.born;
  // t[a] - t[b] <= c between path steps, from a bound on clock i alone (x_i = t_now - born_i).
  const logUpper = (i: number, b: number, now: number) => log?.push({ a: now, b: born![i]!, c: constantOf(b) - (isStrict(b) ? 1 : 0) });
  const logLower = (i: number, b: number, now: number) => log?.push({ a: born![i]!, b: now, c: constantOf(b) - (isStrict(b) ? 1 : 0) });

  // Invariants of this state: deadlines of the deliverable messages, and timers.
  const heads: number[] = [];
  for (const o of occs) if (o.kind === 'deliver') heads.push(pIndex.get(o.msg)!);
  const invariants: { clock: number; bound: number }[] = [];
  for (const k of heads) invariants.push({ clock: pend[4 * k + 1]!, bound: pend[4 * k + 3]! });
  for (let j = 0; j < state.timers.length; j++) invariants.push({ clock: tim[2 * j]!, bound: tim[2 * j + 1]! });
  const timerIndex = (occ: Occurrence) => state.timers.findIndex((t) => t.instance === occ.at && occ.kind === 'timer' && t.key === occ.key);
  // The activity of each occurrence (-1: one for all, in global time): that of its message's or
  // timer's clock; an action belongs to the actor.
  const activityOf = (occ: Occurrence): number =>
    !options.perActivity
      ? -1
      : occ.kind === 'deliver'
        ? node.activity![pend[4 * pIndex.get(occ.msg)!]!]!
        : occ.kind === 'timer'
          ? node.activity![tim[2 * timerIndex(occ)]!]!
          : 1 + model.instances.findIndex((i) => i.id === occ.at);
  const groups = new Map<number, number[]>();
  occs.forEach((occ, oi) => {
    const a = activityOf(occ);
    const g = groups.get(a);
    if (g) g.push(oi);
    else groups.set(a, [oi]);
  });

  for (const [activity, members] of groups) {
    const parts = partsOf(zone, invariants, heads.length, activity < 0 ? null : node.activity!, activity);
    for (let partNo = 0; partNo < parts.length; partNo++) {
      const part = parts[partNo]!;
      if (options.only && options.only.trans.part !== part.id) continue;
      for (const oi of members) {
        if (options.only && options.only.trans.occ !== oi) continue;
        const occ = occs[oi]!;
        const gz = copyZone(part.z);
        let guard: { clock: number; b: number } | null = null;
        if (occ.kind === 'deliver') {
          const k = pIndex.get(occ.msg)!;
          guard = { clock: pend[4 * k]!, b: le(-pend[4 * k + 2]!) };
        } else if (occ.kind === 'timer') {
          const j = timerIndex(occ);
          guard = { clock: tim[2 * j]!, b: le(-tim[2 * j + 1]!) };
        }
        if (guard && !constrain(gz, 0, guard.clock, guard.b)) continue;
        let picks: number[] = Array.from({ length: occ.branches }, (_, p) => p);
        if (options.pruneBranches && occ.branches > 1) picks = distinctPicks(model, state, occ);
        for (const pick of picks) {
          if (options.only && options.only.trans.pick !== pick) continue;
          const r = step(model, state, { next: 0, delay: 0, pick }, [{ ...occ, earliest: 1, latest: 1 }]);
          if (!r) continue;
          if (log) {
            // the path constraints of this transition, at step `at` (entry of this state was at - 1)
            log.push({ a: at - 1, b: at, c: 0 });
            for (const e of part.entry) {
              if (e.j === 0) logUpper(e.i, e.b, at - 1);
              else logLower(e.j, e.b, at - 1);
            }
            if (part.urgent) log.push({ a: at, b: at - 1, c: 0 });
            else for (const v of invariants) logUpper(v.clock, le(v.bound), at);
            if (guard) logLower(guard.clock, guard.b, at);
          }
          successors(model, node, gz, r.state, pIndex, tIndex, activity < 0 ? null : activity, (sym, variant, constraints) => {
            if (options.only && options.only.trans.variant !== variant) return;
            if (log) for (const c of constraints) c.j === 0 ? logUpper(c.i, c.b, at) : logLower(c.j, c.b, at);
            if (born) {
              sym.born = sym.born!.map((src) => (src < 0 ? at : born[src]!));
            }
            visit({ sym, events: r.events, trans: { occ: oi, pick, part: part.id, variant }, occurrence: occ });
          });
        }
      }
    }
  }
  return occs.length;
}

/**
 * The zone parts in which an activity's next step may be taken: part 0 lets
 * time pass up to the invariants; part 1 + k is urgent, the k-th deliverable
 * message being the first overdue one (it was parked past its deadline).
 * `activity` null: global time, every clock and invariant. Otherwise only
 * that activity's clocks age and only its invariants and overdue messages
 * count (its local time; the other activities' clocks are left as they are).
 */
function partsOf(
  zone: Zone,
  invariants: readonly { clock: number; bound: number }[],
  deliverable: number,
  activities: Int32Array | null,
  activity: number,
): Part[] {
  const n = zone.n;
  const mine = (clock: number) => activities === null || activities[clock] === activity;
  const own = invariants.filter((v) => mine(v.clock));
  const overdue = invariants
    .slice(0, deliverable)
    .map((v, k) => ({ ...v, k }))
    .filter((v) => mine(v.clock) && zone.d[v.clock * n]! >= le(v.bound + 1));
  const parts: Part[] = [];
  {
    const z = copyZone(zone);
    const entry: Part['entry'] = [];
    let ok = true;
    for (const v of overdue) {
      entry.push({ i: v.clock, j: 0, b: le(v.bound) });
      ok = constrain(z, v.clock, 0, le(v.bound)) && ok;
    }
    if (ok && !isEmpty(z)) {
      if (activities === null) up(z);
      else {
        separate(z, activities); // the constraints above related activities through clock 0
        upSome(z, (c) => activities[c] === activity);
      }
      for (const v of own) constrain(z, v.clock, 0, le(v.bound));
      if (!isEmpty(z)) parts.push({ id: 0, z, urgent: false, entry });
    }
  }
  for (let i = 0; i < overdue.length; i++) {
    const z = copyZone(zone);
    const entry: Part['entry'] = [];
    for (let k = 0; k < i; k++) {
      entry.push({ i: overdue[k]!.clock, j: 0, b: le(overdue[k]!.bound) });
      constrain(z, overdue[k]!.clock, 0, le(overdue[k]!.bound));
    }
    entry.push({ i: 0, j: overdue[i]!.clock, b: le(-(overdue[i]!.bound + 1)) });
    constrain(z, 0, overdue[i]!.clock, le(-(overdue[i]!.bound + 1)));
    if (!isEmpty(z)) parts.push({ id: 1 + overdue[i]!.k, z, urgent: true, entry });
  }
  if (activities !== null) for (const p of parts) separate(p.z, activities);
  return parts;
}

/**
 * The symbolic successors of one kernel step: maps surviving messages and
 * timers to their clocks, gives what was sent or armed a fresh clock (reset
 * now), splits on the FIFO deadline rule, and builds the entry zone.
 */
function successors(
  model: SystemModel,
  node: SymState,
  gz: Zone,
  next: SystemState,
  pIndex: Map<Pending, number>,
  tIndex: Map<TimerState, number>,
  activity: number | null,
  emit: (sym: SymState, variant: number, constraints: { i: number; j: number; b: number }[]) => void,
): void {
  const { pend, tim } = node;
  // Old clock -> new clock; the fresh clock (reset by this step) is old clock -1.
  const FRESH = -1;
  const np = next.pending.length;
  const refs = new Int32Array(4 * np); // old clock numbers (or FRESH), l0, U
  const pending: Pending[] = new Array(np);
  // FIFO deadline splits: [message index, previous message index]
  const splits: [number, number][] = [];
  const lastOnChannel = new Map<string, number>();
  for (let i = 0; i < np; i++) {
    const p = next.pending[i]!;
    const k = pIndex.get(p);
    const ch = channelOf(p);
    if (k !== undefined) {
      refs[4 * i] = pend[4 * k]!;
      refs[4 * i + 1] = pend[4 * k + 1]!;
      refs[4 * i + 2] = pend[4 * k + 2]!;
      refs[4 * i + 3] = pend[4 * k + 3]!;
      pending[i] = p;
    } else {
      const l0 = p.earliest - 1;
      const l1 = p.latest - 1;
      refs[4 * i] = FRESH;
      refs[4 * i + 1] = FRESH;
      refs[4 * i + 2] = l0;
      refs[4 * i + 3] = l1;
      pending[i] = { ...p, earliest: 0, latest: 0 };
      const prev = lastOnChannel.get(ch);
      if (prev !== undefined && refs[4 * prev + 1] !== FRESH && refs[4 * prev + 3]! - l1 > 0) splits.push([i, prev]);
    }
    lastOnChannel.set(ch, i);
  }
  const nt = next.timers.length;
  const trefs = new Int32Array(2 * nt);
  const timers: TimerState[] = new Array(nt);
  for (let j = 0; j < nt; j++) {
    const t = next.timers[j]!;
    const k = tIndex.get(t);
    if (k !== undefined) {
      trefs[2 * j] = tim[2 * k]!;
      trefs[2 * j + 1] = tim[2 * k + 1]!;
      timers[j] = t;
    } else {
      trefs[2 * j] = FRESH;
      trefs[2 * j + 1] = t.at - 1;
      timers[j] = { ...t, at: 0 };
    }
  }
  const state: SystemState = { ...next, clock: 0, steps: 0, pending, timers };
  const variants = 1 << splits.length;
  for (let variant = 0; variant < variants; variant++) {
    const z = splits.length === 0 ? gz : copyZone(gz);
    const r = splits.length === 0 ? refs : refs.slice();
    const constraints: { i: number; j: number; b: number }[] = [];
    let ok = true;
    splits.forEach(([i, prev], s) => {
      const c = refs[4 * prev + 1]!;
      const bound = refs[4 * prev + 3]! - refs[4 * i + 3]!;
      if ((variant >> s) & 1) {
        // the previous message's deadline is later: this one inherits it
        constraints.push({ i: c, j: 0, b: le(bound - 1) });
        ok = constrain(z, c, 0, le(bound - 1)) && ok;
        r[4 * i + 1] = c;
        r[4 * i + 3] = refs[4 * prev + 3]!;
      } else if (activity === null || node.activity![c] === activity) {
        constraints.push({ i: 0, j: c, b: le(-bound) });
        ok = constrain(z, 0, c, le(-bound)) && ok;
      }
      // else: the previous message's clock belongs to another activity (a connection shared by two), whose
      // local time may lag this step's: a lower bound read there could exclude real runs, so none is added.
      // (The upper bound above is implied by the real, later value and is kept.)
    });
    if (!ok || isEmpty(z)) continue;
    // Number the clocks still referenced; each new clock is a copy of an old one or of x0 (fresh).
    const map = new Map<number, number>();
    const src: number[] = [0];
    const max: number[] = [0];
    const bornSrc: number[] = [0];
    const clockOf = (old: number, bound: number) => {
      let c = map.get(old);
      if (c === undefined) {
        c = src.length;
        map.set(old, c);
        src.push(old === FRESH ? 0 : old);
        bornSrc.push(old === FRESH ? -1 : old);
        max.push(bound);
      } else if (bound > max[c]!) max[c] = bound;
      return c;
    };
    const pendOut = new Int32Array(4 * np);
    for (let i = 0; i < np; i++) {
      pendOut[4 * i] = clockOf(r[4 * i]!, r[4 * i + 2]!);
      pendOut[4 * i + 1] = clockOf(r[4 * i + 1]!, r[4 * i + 3]!);
      pendOut[4 * i + 2] = r[4 * i + 2]!;
      pendOut[4 * i + 3] = r[4 * i + 3]!;
    }
    const timOut = new Int32Array(2 * nt);
    for (let j = 0; j < nt; j++) {
      timOut[2 * j] = clockOf(trefs[2 * j]!, trefs[2 * j + 1]!);
      timOut[2 * j + 1] = trefs[2 * j + 1]!;
    }
    const zone = remap(z, src);
    let activities: Int32Array | undefined;
    if (activity !== null) {
      activities = new Int32Array(src.length);
      for (let c = 1; c < src.length; c++) activities[c] = bornSrc[c]! < 0 ? activity : node.activity![bornSrc[c]!]!;
      separate(zone, activities);
    }
    extrapolate(zone, max);
    if (activities) separate(zone, activities);
    const sym: SymState = { state, pend: pendOut, tim: timOut, zone };
    if (activities) sym.activity = activities;
    if (node.born) sym.born = bornSrc;
    emit(sym, variant, constraints);
  }
}

/**
 * Forgets how clocks of different activities relate: each activity keeps its
 * own clocks' bounds and relations, in its own local time (row and column 0
 * are each activity's "now"), and the zone is the product of those. Closing
 * the whole matrix would relate activities again through clock 0, so the
 * cross entries are reset after every operation that closes (a path through
 * another activity's clocks never tightens an activity's own entries).
 */
function separate(z: Zone, activity: Int32Array): void {
  const { n, d } = z;
  for (let i = 1; i < n; i++)
    for (let j = 1; j < n; j++) if (activity[i] !== activity[j]) d[i * n + j] = INF;
}
