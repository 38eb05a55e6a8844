import type { TierEvent } from '../../models/machines/vocabulary.js';
import type { ScenarioEvent } from '../../models/scenarios/scenario.js';
import type { Pending } from '../kernel/state.js';
import type { Timed } from './timeWheel.js';

/** What the simulation's event queue holds. A numeric kind keeps dispatch cheap. */
export const enum Kind {
  /** A message reaching its receiver (a kernel occurrence). */
  Deliver,
  /** A timer at its deadline (a kernel occurrence, unless cancelled since). */
  Timer,
  /** A client connection sends a request (a kernel occurrence: ACT). */
  Act,
  /** The next request arrives from outside. */
  Arrival,
  /** Gauges are sampled (every second). */
  Sample,
  /** A simulated minute ends: its metrics are written. */
  Minute,
  /** A timed event of the scenario. */
  Event,
}

/** One direction of a connection: TCP delivers its messages in order. */
export interface Channel {
  conn: string;
  from: string;
  to: string;
  msgs: MessageItem[];
  head: number;
  /** Delivery time of the newest message: a later one is never earlier. */
  lastT: number;
  /** Its head is parked: the receiver does not read it now. */
  parked: boolean;
  /** When parked, its place among the receiver's parked channels (they are asked again in the order they parked). */
  parkedSeq?: number;
  /** The tier event the parked head would be, kept while it is asked again (engine.ts). */
  probe?: { p: Pending; event: TierEvent };
}

export class MessageItem implements Timed {
  readonly k = Kind.Deliver;
  /** Its time came while a message ahead of it on its channel was parked. */
  due = false;
  constructor(
    public t: number,
    readonly p: Pending,
    readonly ch: Channel,
  ) {}
}

export class TimerItem implements Timed {
  readonly k = Kind.Timer;
  live = true;
  constructor(
    readonly t: number,
    readonly instance: string,
    readonly key: string,
  ) {}
}

/** A request from outside, from its arrival to its outcome (its client machine's retries included). */
export interface Arrival {
  /** When it arrived (latency is measured from here). */
  born: number;
  /** Customer client index (0-based). */
  client: number;
}

export class ActItem implements Timed {
  readonly k = Kind.Act;
  constructor(
    readonly t: number,
    readonly instance: string,
    readonly arrival: Arrival | null,
  ) {}
}

export class ArrivalItem implements Timed {
  readonly k = Kind.Arrival;
  constructor(readonly t: number) {}
}

export class TickItem implements Timed {
  constructor(
    readonly t: number,
    readonly k: Kind.Sample | Kind.Minute,
  ) {}
}

/** A scenario event as it happens: its start, its end (a slowdown, an unhealthy spell), or one step of a throttle's ramp. */
export type Happening =
  | { kind: 'start'; event: ScenarioEvent }
  | { kind: 'end'; event: ScenarioEvent }
  | { kind: 'throttle'; tier: string; rate: number | null; burst: number | null };

export class EventItem implements Timed {
  readonly k = Kind.Event;
  constructor(
    readonly t: number,
    readonly what: Happening,
  ) {}
}

export type Item = MessageItem | TimerItem | ActItem | ArrivalItem | TickItem | EventItem;
