/**
 * The vocabulary shared by every tier machine and the kernel: the events the
 * kernel delivers to a tier, and the effects a tier asks the kernel to carry out.
 *
 * A tier machine never touches the network, the clock or another tier. It
 * reacts to one event at a time and `emit`s effects; the kernel turns effects
 * into in-flight messages, timers and trace events. This keeps every machine a
 * pure function of (snapshot, event), which is what makes runs replayable and
 * states hashable.
 */

/** Which neighbour a connection leads to, seen from this tier: `down` is towards the client. */
export type Side = 'down' | 'up';

/** Fields the kernel puts on every event so that a machine can make its choices purely. */
export interface EventBase {
  /**
   * A schedule-chosen branch in `[0, branching)` for events where the tier's
   * behaviour is nondeterministic (which gateway worker takes a request,
   * which NLB target a flow lands on). 0 otherwise.
   */
  pick: number;
  /** The id the kernel gives the next connection this tier opens (at most one per event). */
  nextConn: string;
}

/**
 * HTTP methods a request may carry. Whether a failed request may be sent
 * again depends on it: GET, HEAD, PUT, DELETE and OPTIONS are idempotent
 * (RFC 9110 §9.2.2); POST and PATCH are not.
 */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
export const METHODS: readonly Method[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
export const isIdempotent = (m: Method): boolean => m !== 'POST' && m !== 'PATCH';

export type TierEvent =
  | ({ type: 'ACT' } & EventBase)
  | ({ type: 'CONNECT'; conn: string; side: Side } & EventBase)
  | ({ type: 'REQUEST'; conn: string; side: Side; req: string; method: Method } & EventBase)
  | ({ type: 'RESPONSE'; conn: string; side: Side; req: string; status: number; close: boolean } & EventBase)
  | ({ type: 'CLOSE'; conn: string; side: Side } & EventBase)
  /** `refused`: the RST answers this tier's own connection attempt (nothing listening there). */
  | ({ type: 'RESET'; conn: string; side: Side; refused?: boolean } & EventBase)
  | ({ type: 'TIMER'; key: string } & EventBase)
  /** A control-plane message from another tier, delivered at once (a health checker telling its load balancer a target's health). */
  | ({ type: 'NOTIFY'; what: 'targetHealth'; target: number; healthy: boolean; from: string } & EventBase);

export type TierEventType = TierEvent['type'];

/** An HTTP message on a connection. */
export type Message =
  | { kind: 'request'; req: string; method: Method }
  | { kind: 'response'; req: string; status: number; close: boolean };

/**
 * What a tier asks the kernel to do. Emitted by machines with XState `emit`.
 * Every transition that handles an event must do something (at least one
 * effect or a target): XState's `can()` reports a transition with neither as
 * not enabled, and the kernel leaves an event nobody takes on the wire.
 */
export type Effect =
  /** Open a new connection (id `nextConn`) to the next tier; `req` says which request caused it. */
  | { type: 'open'; conn: string; req?: string; detail?: string }
  /** Pass-through tiers: continue the existing connection `conn` to target instance `target`. */
  | { type: 'passThrough'; conn: string; target: number }
  /** Send a message on `conn` towards `to`; `latency` overrides the network's window (e.g. query time). */
  | { type: 'send'; conn: string; to: Side; msg: Message; latency?: readonly [number, number] }
  /** Close `conn` (a FIN to the neighbour on side `to`); this tier is done with it at once. */
  | { type: 'close'; conn: string; to: Side; detail?: string }
  /**
   * Abort `conn` (an RST to the neighbour on side `to`). `refused`: the RST
   * answers a connection attempt (nothing listening, a target pulled): its
   * opener sees RESET with `refused`, and may try again.
   */
  | { type: 'reset'; conn: string; to: Side; detail?: string; refused?: boolean }
  /** Tell the load balancer tier `to` (a shared instance) whether target `target` (0-based) is healthy: the control plane. */
  | { type: 'notify'; to: string; target: number; healthy: boolean; detail?: string }
  /** (Re)start the timer `key` to fire `after` ms from now. */
  | { type: 'setTimer'; key: string; after: number }
  | { type: 'cancelTimer'; key: string }
  /** A tier-level happening worth a trace event (queue, activate, timeout, ...). */
  | { type: 'log'; what: LogKind; conn?: string; req?: string; status?: number; detail?: string };

export type LogKind =
  | 'queue' // connQueue: accepted, but parked without reads or writes
  | 'activate' // connQueue: a connection got an active slot
  | 'expire' // nlb: a flow idled out and was dropped silently
  | 'timeout' // a request timed out at this tier (gateway 504, client timeout)
  | 'idle-close' // keep-alive idle timeout closed a connection
  | 'max-requests' // keepalive_requests reached: the response carries `Connection: close`
  | 'route' // a proxy chose a worker / connection for a request
  | 'outcome' // a client's request finished (response or error)
  | 'abandon' // a tier gave up on a request (its downstream went away)
  | 'retry' // a tier sends a failed request again, on a new connection
  | 'health' // a load balancer changed a target's health (from its health checks)
  | 'start'; // a paced client (health checker) started its schedule

/** The part of a tier machine's context that the kernel reads. */
export interface KernelVisibleContext {
  /** Number of branches for nondeterministic events, by event type (default 1). */
  branching: Partial<Record<TierEventType, number>>;
}

export const HTTP_OK = 200;
export const HTTP_BAD_GATEWAY = 502;
export const HTTP_GATEWAY_TIMEOUT = 504;
export const HTTP_SERVICE_UNAVAILABLE = 503;
/** Status a client records when its connection was closed or reset under an outstanding request. */
export const CONNECTION_LOST = 0;
