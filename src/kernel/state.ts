import type { Method } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import { initialSnapshot, type InstanceState } from './machineStep.js';

export type { InstanceState };

/** What travels on a connection: a handshake, an HTTP message, a FIN or an RST. */
export type Wire =
  | { kind: 'syn' }
  | { kind: 'request'; req: string; method: Method }
  | { kind: 'response'; req: string; status: number; close: boolean }
  | { kind: 'fin' }
  | { kind: 'rst'; refused?: true };

/** A message in flight, deliverable in [earliest, latest]; per (conn, from, to) the oldest goes first. */
export interface Pending {
  seq: number;
  conn: string;
  from: string;
  to: string;
  wire: Wire;
  earliest: number;
  latest: number;
}

/** A TCP connection: the instances it runs through (more than two across a pass-through tier). */
export interface ConnState {
  id: string;
  path: string[];
  /** Instances that have closed, reset or read the end of this connection. */
  done: string[];
}

export interface TimerState {
  instance: string;
  key: string;
  at: number;
}

/**
 * The whole system, as plain serialisable data: a run is a sequence of these.
 * Nothing here refers to objects outside it, so it can be hashed and saved.
 */
export interface SystemState {
  clock: number;
  steps: number;
  instances: Record<string, InstanceState>;
  conns: Record<string, ConnState>;
  pending: Pending[];
  timers: TimerState[];
  /** Last connection number used per boundary (`gateway>nlb` -> 3). */
  counters: Record<string, number>;
  /** The client connection each request was first sent on. */
  origins: Record<string, string>;
  seq: number;
}

// States are immutable, so a model's initial state is built once (building it costs an actor per instance).
const initialStates = new WeakMap<SystemModel, SystemState>();

export function initialState(model: SystemModel): SystemState {
  const cached = initialStates.get(model);
  if (cached) return cached;
  const instances: Record<string, InstanceState> = {};
  for (const spec of model.instances) {
    const snap = initialSnapshot(spec.machine, spec.input);
    instances[spec.id] = { value: snap.value, context: snap.context };
  }
  const state: SystemState = { clock: 0, steps: 0, instances, conns: {}, pending: [], timers: [], counters: {}, origins: {}, seq: 0 };
  initialStates.set(model, state);
  return state;
}
