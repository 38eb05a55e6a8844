import { boundaryOfConnection } from '../../models/ids.js';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import { traceEvent, type TraceEvent, type TraceEventType } from '../kernel/events.js';
import type { ConnState, InstanceState, Pending, SystemState } from '../kernel/state.js';
import type { KernelStore, TraceFields } from '../kernel/store.js';
import { MessageItem, TimerItem, type Channel, type Item } from './items.js';
import type { TimeWheel } from './timeWheel.js';

/** Per connection: what is on the wire, by direction. */
interface ConnBook {
  pending: number;
  channels: Channel[];
  boundary: string;
}

/**
 * The kernel store of a simulation: one mutable state, changed in place by
 * the kernel's semantics (src/kernel/semantics.ts, the same functions
 * `check` runs), with every message and timer also put on the event queue
 * at the time the simulation chose for it. Besides the state it keeps the
 * count the metrics read: connections open per boundary.
 */
export class SimStore implements KernelStore {
  clock = 0;
  steps = 0;
  tracing = false;
  private seq = 0;
  readonly instances = new Map<string, InstanceState>();
  readonly conns = new Map<string, ConnState>();
  private readonly books = new Map<string, ConnBook>();
  private readonly counters = new Map<string, number>();
  /** Request -> client connection; kept only while a trace window may need it (see window.ts). */
  origins: Map<string, string> | null = null;
  private readonly timers = new Map<string, Map<string, TimerItem>>();
  /** Open connections per boundary. */
  readonly open = new Map<string, number>();
  /** Trace events, while tracing. */
  events: TraceEvent[] = [];
  onEffect?: (at: string, cause: TierEvent, effect: Effect) => void;
  onReaction?: (instance: string, before: InstanceState, after: InstanceState) => void;
  onConnGone?: (conn: ConnState) => void;

  constructor(
    readonly model: SystemModel,
    private readonly wheel: TimeWheel<Item>,
    /** The delivery time of a message put on the wire now, inside its window [earliest, latest]. */
    private readonly deliveryTime: (p: Pending, ownLatency: boolean) => number,
    initial: SystemState,
  ) {
    for (const [id, s] of Object.entries(initial.instances)) this.instances.set(id, s);
  }

  instance(id: string): InstanceState {
    return this.instances.get(id)!;
  }
  setInstance(id: string, state: InstanceState) {
    this.instances.set(id, state);
  }

  conn(id: string): ConnState | undefined {
    return this.conns.get(id);
  }
  setConn(c: ConnState) {
    const prev = this.conns.get(c.id);
    this.conns.set(c.id, c);
    if (!prev) {
      const boundary = boundaryOfConnection(c.id) ?? c.id;
      this.books.set(c.id, { pending: 0, channels: [], boundary });
      this.open.set(boundary, (this.open.get(boundary) ?? 0) + 1);
    }
  }
  deleteConn(id: string) {
    const c = this.conns.get(id);
    if (!c) return;
    this.conns.delete(id);
    const book = this.books.get(id)!;
    this.books.delete(id);
    this.open.set(book.boundary, this.open.get(book.boundary)! - 1);
    this.onConnGone?.(c);
  }
  counter(boundary: string): number {
    return this.counters.get(boundary) ?? 0;
  }
  setCounter(boundary: string, n: number) {
    this.counters.set(boundary, n);
  }

  origin(req: string): string | undefined {
    return this.origins?.get(req);
  }
  setOrigin(req: string, conn: string) {
    this.origins?.set(req, conn);
  }

  private channel(conn: string, from: string, to: string, create: boolean): Channel | undefined {
    const book = this.books.get(conn);
    if (!book) return undefined;
    for (const ch of book.channels) if (ch.from === from && ch.to === to) return ch;
    if (!create) return undefined;
    const ch: Channel = { conn, from, to, msgs: [], head: 0, lastT: 0, parked: false };
    book.channels.push(ch);
    return ch;
  }
  lastOnChannel(conn: string, from: string, to: string): Pending | undefined {
    const ch = this.channel(conn, from, to, false);
    return ch && ch.head < ch.msgs.length ? ch.msgs[ch.msgs.length - 1]!.p : undefined;
  }
  nextSeq(): number {
    return ++this.seq;
  }
  get lastSeq(): number {
    return this.seq;
  }
  addPending(p: Pending, ownLatency: boolean) {
    const ch = this.channel(p.conn, p.from, p.to, true)!;
    // FIFO: not before the message ahead of it (its window already starts no earlier, see semantics.ts).
    const t = Math.max(this.deliveryTime(p, ownLatency), ch.lastT);
    ch.lastT = t;
    const item = new MessageItem(t, p, ch);
    ch.msgs.push(item);
    this.books.get(p.conn)!.pending++;
    this.wheel.push(item);
  }
  removePending(p: Pending) {
    const ch = this.channel(p.conn, p.from, p.to, false)!;
    if (ch.msgs[ch.head]?.p !== p) throw new Error(`kernel delivered ${p.conn} seq ${p.seq} out of order`);
    ch.msgs[ch.head++] = undefined as unknown as MessageItem;
    this.books.get(p.conn)!.pending--;
    if (ch.head === ch.msgs.length) {
      ch.msgs.length = 0;
      ch.head = 0;
    } else {
      // The next message may have come due while this one waited.
      const next = ch.msgs[ch.head]!;
      if (next.due) {
        next.due = false;
        next.t = this.clock;
        this.wheel.push(next);
      }
    }
  }
  hasPending(conn: string): boolean {
    return (this.books.get(conn)?.pending ?? 0) > 0;
  }

  setTimer(instance: string, key: string, at: number) {
    let m = this.timers.get(instance);
    if (!m) this.timers.set(instance, (m = new Map()));
    const old = m.get(key);
    if (old) old.live = false;
    const item = new TimerItem(at, instance, key);
    m.set(key, item);
    this.wheel.push(item);
  }
  cancelTimer(instance: string, key: string) {
    const m = this.timers.get(instance);
    const old = m?.get(key);
    if (!old) return;
    old.live = false;
    m!.delete(key);
  }
  /** The keys of an instance's timers that are set. */
  timerKeys(instance: string): string[] {
    return [...(this.timers.get(instance)?.keys() ?? [])];
  }

  log(type: TraceEventType, at: string, fields: TraceFields) {
    this.events.push(traceEvent(this.steps, this.clock, type, at, fields));
  }

  /** The state as `check` would hold it: what a trace window starts from (see window.ts). */
  snapshot(): SystemState {
    const pending: Pending[] = [];
    for (const book of this.books.values()) for (const ch of book.channels) for (let i = ch.head; i < ch.msgs.length; i++) pending.push(ch.msgs[i]!.p);
    pending.sort((a, b) => a.seq - b.seq);
    const timers: SystemState['timers'] = [];
    for (const [instance, m] of this.timers) for (const item of m.values()) timers.push({ instance, key: item.key, at: item.t });
    return {
      clock: this.clock,
      steps: this.steps,
      instances: Object.fromEntries(this.instances),
      conns: Object.fromEntries(this.conns),
      pending,
      timers,
      counters: Object.fromEntries(this.counters),
      origins: Object.fromEntries(this.origins ?? []),
      seq: this.seq,
    };
  }
}
