import type { AnyTransitionDefinition } from 'xstate';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import type { TraceEvent, TraceEventType } from './events.js';
import type { ConnState, InstanceState, Pending } from './state.js';

/** What the kernel reads to build a tier event from a wire message (wire.ts). */
export interface WireView {
  conn(id: string): ConnState | undefined;
  /** Last connection number used across `boundary` (0 when none yet). */
  counter(boundary: string): number;
}

/** The fields of a trace event besides its step, time, type and place. */
export type TraceFields = Omit<TraceEvent, 'step' | 't' | 'type' | 'at'>;

/**
 * Where the kernel's semantics (semantics.ts) keeps a running system: the
 * machines' states, connections, messages in flight, timers, counters. Two
 * implementations: the immutable states of `check` and exhaustive search
 * (step.ts: every step a new SystemState, collections copied on first
 * write) and the simulation's mutable, event-queue-driven state
 * (src/simulate). The semantics decide what happens; a store only keeps it.
 */
export interface KernelStore extends WireView {
  readonly model: SystemModel;
  /** Model time of the occurrence being taken (ms). */
  readonly clock: number;
  /** Whether `log` wants trace events (the simulation outside a trace window does not). */
  readonly tracing: boolean;

  instance(id: string): InstanceState;
  setInstance(id: string, state: InstanceState): void;

  setConn(conn: ConnState): void;
  deleteConn(id: string): void;
  setCounter(boundary: string, n: number): void;

  origin(req: string): string | undefined;
  setOrigin(req: string, conn: string): void;

  /** The newest message in flight on the channel (conn, from, to), if any: TCP keeps each direction in order. */
  lastOnChannel(conn: string, from: string, to: string): Pending | undefined;
  /** The next message sequence number (the store counts them). */
  nextSeq(): number;
  /** Puts a message on the wire. `ownLatency`: its window is the sender's own (a server's response time), not the network's. */
  addPending(p: Pending, ownLatency: boolean): void;
  /** Takes a message off the wire (it is being delivered). */
  removePending(p: Pending): void;
  /** Whether anything is still in flight on `conn`. */
  hasPending(conn: string): boolean;

  setTimer(instance: string, key: string, at: number): void;
  /** Removes the timer if it is set (no-op otherwise). */
  cancelTimer(instance: string, key: string): void;

  /** Records a trace event at the current step and time (only called when `tracing`). */
  log(type: TraceEventType, at: string, fields: TraceFields): void;
  /** A machine is about to react to `event` (check's reports say which transition fired); optional. */
  onReact?(instance: string, event: TierEvent): void;
  /** Sees every effect a machine emits before the kernel carries it out (metrics); optional. */
  onEffect?(at: string, cause: TierEvent, effect: Effect): void;
  /** Sees every reaction: the instance's state before and after (a simulation re-reads parked messages when it changed); optional. */
  onReaction?(instance: string, before: InstanceState, after: InstanceState): void;
  /** The machine transitions a reaction took, as XState reports them (check's coverage); optional: without it they are not collected. */
  onTaken?(instance: string, taken: AnyTransitionDefinition[]): void;
}
