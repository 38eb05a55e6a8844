import type { Method } from '../machines/vocabulary.js';

/**
 * A simulation scenario: the load a pipeline is put under and what happens
 * to it over time. The tiers' behaviour is the topology's (its machines and
 * parameters); a scenario says only what the outside world does: who sends
 * requests and how often, how long the network and the servers take (as a
 * distribution inside the windows the topology allows), and the timed events
 * of the incident (a slow database, a restart, a reload, a target marked
 * unhealthy, a throttle). All times are milliseconds.
 */

/** A delay distribution, drawn inside the kernel's window for each message (the network's, or a server's own response time). */
export type DelayDistribution =
  /** Uniform over the window, or over [min, max] inside it. */
  | { kind: 'uniform'; min?: number; max?: number }
  | { kind: 'lognormal'; median: number; p99: number }
  | { kind: 'fixed'; ms: number };

/** Requests per second over time. */
export type RateSchedule =
  | { kind: 'constant'; rate: number }
  /** A day as a cosine between `trough` and `peak`, peaking at `peakAt` (ms after midnight); the run starts at `startAt`. */
  | { kind: 'daily'; trough: number; peak: number; peakAt: number; startAt: number }
  /** Steps and ramps: from `at` on, `rate`; with `ramp`, reached linearly over `ramp` ms from the rate before. */
  | { kind: 'points'; points: { at: number; rate: number; ramp?: number }[] };

export interface RequestKind {
  /** The HTTP method its requests carry on the wire: the tiers and the client machine retry only idempotent ones. */
  method: Method;
  /** Share of requests (whole numbers; the client machine cycles through them, see runTopology.ts). */
  weight: number;
}

/**
 * A throttle setting for a throttling tier (API Gateway): requests per second
 * and burst, 429 above them. It is the tier machine's own token bucket
 * (models/machines/l7Proxy/throttle.ts); a scenario only sets it at the start
 * (the tier's parameters) and changes it over time (a control-plane event).
 */
export interface ThrottleSetting {
  /** The tier throttled (an l7Proxy tier, by name; `gateway` unless a file says otherwise). */
  tier: string;
  /** Requests per second; null: no throttle. */
  rate: number | null;
  /** Bucket size (requests let through at once above the rate); null: one second's worth. */
  burst: number | null;
  /** Reach `rate` in equal steps over this long from the rate in force (ease back up); 0: at once. */
  over: number;
}

export type ScenarioEvent =
  /** The database's response times follow `delay` for `for` ms (inside its window: widen it in `topology` if needed). */
  | { at: number; kind: 'databaseSlowdown'; delay: DelayDistribution; for: number }
  /** The processes of instance `instance` restart: every connection they hold is reset, their state starts afresh. */
  | { at: number; kind: 'restart'; instance: number }
  /** Instance `instance` is replaced: its connections vanish without a FIN or RST, a fresh instance takes its place. */
  | { at: number; kind: 'replace'; instance: number }
  /** `tier` on instance `instance` reloads: the connections it would close when idle are closed now (nginx -s reload). */
  | { at: number; kind: 'reload'; tier: string; instance: number }
  /** The load balancer is told (its control plane, as its health checks would) that instance `instance` is unhealthy, for `for` ms. */
  | { at: number; kind: 'unhealthy'; instance: number; for: number }
  /** The throttle of a throttling tier (API Gateway) changes: a control-plane event to its machine. */
  | ({ at: number; kind: 'throttle' } & ThrottleSetting);

export interface SimulationScenario {
  name: string;
  description: string;
  /** What the scenario is for, in a sentence or two (docs, `connmodel simulate --help`). */
  about: string;
  /** Run length when the command line gives none. */
  duration: number;
  clients: {
    /** Customer clients. */
    count: number;
    /** Keep-alive connections each (its connection pool). */
    connections: number;
    /** Requests a client holds while all its connections are busy; beyond, a new request fails at once at the client. */
    queue: number;
    /** Connection churn: close every connection after its answer (HTTP/1.0-style clients). Default false: keep-alive. */
    closeAfterResponse: boolean;
    /** Client timeout (ms), null: wait forever; undefined: as the topology's client tier says. */
    timeout?: number | null;
  };
  requests: {
    mix: RequestKind[];
    /**
     * The client machine's retry policy: an idempotent request lost with its
     * connection, timed out, or answered 502/503/504 is sent again after
     * `backoff` ms, at most `max` times (models/machines/client.ts).
     */
    retries: { max: number; backoff: number };
  };
  arrivals: RateSchedule;
  delays: {
    /** Every message's delay inside the network's window. */
    network: DelayDistribution;
    /** Per sending tier (by name): its messages' delay (a server: its response time). */
    tiers: Record<string, DelayDistribution>;
  };
  /** The throttle at the start (its tier's parameters); changed by `throttle` events. `over` does not apply. */
  throttle: ThrottleSetting;
  events: ScenarioEvent[];
  /** Parameter overrides of the topology's tiers, by tier name (e.g. a wider database response window). */
  topology: Record<string, Record<string, unknown>>;
}
