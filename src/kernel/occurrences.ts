import { REQUESTER_ROLES } from '../../models/machines/index.js';
import type { TierEvent } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import { accepts } from './machineStep.js';
import type { InstanceState, Pending, SystemState } from './state.js';
import { connEvent, nextConnFor } from './wire.js';

/**
 * Something that can happen next, with its time window. Time may move to any
 * point inside the window, but never past the deadline (`latest`) of another
 * pending occurrence; timers fire exactly at their deadline.
 */
export type Occurrence =
  | { kind: 'deliver'; at: string; msg: Pending; earliest: number; latest: number; branches: number }
  | { kind: 'timer'; at: string; key: string; earliest: number; latest: number; branches: number }
  | { kind: 'act'; at: string; earliest: number; latest: number; branches: number };

function branchesOf(state: SystemState, instance: string, type: TierEvent['type']): number {
  const ctx = state.instances[instance]!.context as { branching?: Partial<Record<string, number>> };
  return Math.max(1, ctx.branching?.[type] ?? 1);
}

/** The oldest pending message of each (conn, from, to) channel: TCP delivers in order. */
function channelHeads(pending: readonly Pending[]): Pending[] {
  const seen = new Set<string>();
  const heads: Pending[] = [];
  for (const p of pending) {
    const ch = `${p.conn}|${p.from}|${p.to}`;
    if (seen.has(ch)) continue;
    seen.add(ch);
    heads.push(p);
  }
  return heads;
}

const EVENT_OF_WIRE = { syn: 'CONNECT', request: 'REQUEST', response: 'RESPONSE', fin: 'CLOSE', rst: 'RESET' } as const;

/** The type of the tier event an occurrence delivers to its instance. */
export function eventTypeOf(o: Occurrence): TierEvent['type'] {
  return o.kind === 'deliver' ? EVENT_OF_WIRE[o.msg.wire.kind] : o.kind === 'timer' ? 'TIMER' : 'ACT';
}

// Whether a receiver takes a message depends only on the message and the receiver's snapshot,
// and both are immutable: remember the answer for the snapshot it was computed against.
const acceptance = new WeakMap<Pending, { receiver: InstanceState; ok: boolean }>();

/** Whether the receiver will take `p` now. A closed end always "takes" it (the kernel answers). */
function deliverable(model: SystemModel, state: SystemState, p: Pending): boolean {
  const conn = state.conns[p.conn];
  if (!conn || conn.done.includes(p.to)) return true;
  const receiver = state.instances[p.to]!;
  const known = acceptance.get(p);
  if (known && known.receiver === receiver) return known.ok;
  const ok = accepts(model.byId.get(p.to)!.machine, receiver, connEvent(model, state, p, 0));
  acceptance.set(p, { receiver, ok });
  return ok;
}

/** The channel heads that are parked: their receiver does not read them now (they have no deadline). */
export function parkedMessages(model: SystemModel, state: SystemState): Pending[] {
  return channelHeads(state.pending).filter((p) => !deliverable(model, state, p));
}

// Same reasoning for a client's ACT: it depends only on the client's snapshot.
const actAcceptance = new WeakMap<InstanceState, boolean>();

function canAct(model: SystemModel, state: SystemState, client: string): boolean {
  const snapshot = state.instances[client]!;
  let ok = actAcceptance.get(snapshot);
  if (ok === undefined) {
    const act: TierEvent = { type: 'ACT', pick: 0, nextConn: nextConnFor(model, state, client) };
    ok = accepts(model.byId.get(client)!.machine, snapshot, act);
    actAcceptance.set(snapshot, ok);
  }
  return ok;
}

/** The occurrences enabled in `state`, in a deterministic order (by earliest time, then kind, then id). */
export function enabledOccurrences(model: SystemModel, state: SystemState): Occurrence[] {
  const now = state.clock;
  const all: Occurrence[] = [];
  for (const t of state.timers)
    all.push({ kind: 'timer', at: t.instance, key: t.key, earliest: t.at, latest: t.at, branches: branchesOf(state, t.instance, 'TIMER') });
  for (const p of channelHeads(state.pending)) {
    if (!deliverable(model, state, p)) continue; // parked in a socket buffer: no deadline
    const type = EVENT_OF_WIRE[p.wire.kind];
    all.push({
      kind: 'deliver',
      at: p.to,
      msg: p,
      earliest: Math.max(p.earliest, now),
      latest: Math.max(p.latest, now),
      branches: branchesOf(state, p.to, type),
    });
  }
  for (const spec of model.instances) {
    if (!REQUESTER_ROLES.has(spec.descriptor.role)) continue;
    if (canAct(model, state, spec.id))
      all.push({ kind: 'act', at: spec.id, earliest: now, latest: Number.POSITIVE_INFINITY, branches: 1 });
  }
  let horizon = Number.POSITIVE_INFINITY;
  for (const o of all) if (o.latest < horizon) horizon = o.latest;
  const enabled = all.filter((o) => o.earliest <= horizon);
  enabled.sort(compareOccurrences);
  return enabled;
}

const KIND_ORDER = { timer: 0, deliver: 1, act: 2 } as const;

function idOf(o: Occurrence): string {
  return o.kind === 'deliver' ? String(o.msg.seq).padStart(9, '0') : o.kind === 'timer' ? `${o.at}|${o.key}` : o.at;
}

function compareOccurrences(a: Occurrence, b: Occurrence): number {
  if (a.earliest !== b.earliest) return a.earliest - b.earliest;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  const ia = idOf(a);
  const ib = idOf(b);
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** The latest time an occurrence may be taken: its own deadline or another's, whichever is first. */
export function horizonOf(enabled: readonly Occurrence[]): number {
  let h = Number.POSITIVE_INFINITY;
  for (const o of enabled) if (o.latest < h) h = o.latest;
  return h;
}

export function describeOccurrence(o: Occurrence): string {
  if (o.kind === 'timer') return `timer ${o.key} of ${o.at}`;
  if (o.kind === 'act') return `${o.at} acts`;
  return `deliver ${o.msg.wire.kind} on ${o.msg.conn} from ${o.msg.from} to ${o.msg.to}`;
}
