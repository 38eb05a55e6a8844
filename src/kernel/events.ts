import { boundaryName, tierOf } from '../../models/ids.js';
import type { Method } from '../../models/machines/vocabulary.js';

/**
 * Trace events: the ordered record of a run, and the common currency of
 * connmodel. Properties read them, diagrams draw them, replay compares them.
 * Fields are always written in the order below so that the same run gives
 * the same JSON, byte for byte.
 */
export type TraceEventType =
  | 'connect' // `at` opened `conn` towards `peer`
  | 'accept' // `at` completed the handshake of `conn` from `peer`
  | 'send' // `at` sent a request or response on `conn` to `peer`
  | 'recv' // `at` read a request or response from `conn`
  | 'close' // `at` closed `conn` (a FIN towards `peer`)
  | 'closed' // `at` read the FIN of `conn` from `peer`
  | 'reset' // `at` aborted `conn` (an RST towards `peer`)
  | 'aborted' // `at` got the RST of `conn` from `peer`
  | 'timer' // the timer `key` of `at` fired
  // Tier-level happenings, logged by the tier machines themselves:
  | 'queue'
  | 'activate'
  | 'expire'
  | 'timeout'
  | 'idle-close'
  | 'max-requests'
  | 'route'
  | 'outcome'
  | 'abandon'
  | 'retry'
  | 'health'
  | 'start'
  // Control plane: `at` told `peer` something (a health checker, its load balancer a target's health).
  | 'notify';

export interface TraceEvent {
  step: number;
  /** Model time in ms. */
  t: number;
  type: TraceEventType;
  /** The instance where it happened (`gateway`, `connQueue.1`). */
  at: string;
  peer?: string;
  conn?: string;
  msg?: 'request' | 'response';
  req?: string;
  /** A request's HTTP method (on `send` and `recv` of a request). */
  method?: Method;
  /** The client connection the request was first sent on. */
  origin?: string;
  status?: number;
  /** The response carries `Connection: close`. */
  close?: boolean;
  key?: string;
  detail?: string;
}

/** The boundary a message crosses when `at` sends it to `peer`: `gateway>nlb`. */
export function boundaryOfSend(e: Pick<TraceEvent, 'at' | 'peer'>): string {
  return boundaryName(tierOf(e.at), tierOf(e.peer!));
}

type Fields = Omit<TraceEvent, 'step' | 't' | 'type' | 'at'>;
const ORDER: (keyof Fields)[] = ['peer', 'conn', 'msg', 'req', 'method', 'origin', 'status', 'close', 'key', 'detail'];

/** Builds an event with its fields in canonical order, leaving out the undefined ones. */
export function traceEvent(step: number, t: number, type: TraceEventType, at: string, fields: Fields = {}): TraceEvent {
  const e: Record<string, unknown> = { step, t, type, at };
  for (const k of ORDER) if (fields[k] !== undefined) e[k] = fields[k];
  return e as unknown as TraceEvent;
}
