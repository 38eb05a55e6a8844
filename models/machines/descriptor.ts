import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';
import type { TierEventType } from './vocabulary.js';

/**
 * What a machine kind says about itself. Every layer above the machines (the
 * kernel, the topology-file loader, `topologies`, canonical forms, clock
 * bounds, the exhaustive search, diagrams) reads this and never a machine's
 * context fields or parameter names. Adding a machine kind is one machine file
 * that exports a descriptor, registered with `registerMachineKind`.
 */

/**
 * Where a parameter's value comes from:
 * - `seed`: the incident report (shared/seed/connection-behavior.md);
 * - `doc`: the product's documentation or source code (cited in `ref`);
 * - `assumption`: behaviour no source documents, so we had to pick a value (`connmodel sweep --assumptions` varies them);
 * - `choice`: a value the topology chose on purpose (a mitigation, a what-if, a file's own setting), not a claim about a product.
 */
export type Source = 'seed' | 'doc' | 'assumption' | 'choice';

export interface Provenance {
  source: Source;
  /** seed: what the report says; doc: the citation (page, setting, source file); assumption and choice: why this value. */
  ref: string;
}

/**
 * How a machine takes part in a pipeline:
 * - `client`: originates requests when the schedule lets it act (ACT); the first tier;
 * - `proxy`: terminates connections: accepts on its client side, opens its own upstream;
 * - `passThrough`: continues each connection unchanged to a target instance (an L4 load balancer);
 * - `server`: answers every request itself and opens nothing; the last tier;
 * - `probe`: a requester beside the pipeline (a health checker), composed from a topology's
 *   `healthCheck`, never listed among its tiers.
 */
export type TierRole = 'client' | 'proxy' | 'passThrough' | 'server' | 'probe';

/** Roles that send requests of their own (and are made to act by the schedule). */
export const REQUESTER_ROLES: ReadonlySet<TierRole> = new Set(['client', 'probe']);

/**
 * A context field that holds a number naming something symmetry may rename:
 * - `ownCopy`: this instance's own copy number (a client's `index`);
 * - `instanceIndex`: a load-balancer target, 0-based (instance `n + 1`);
 * - `worker`: a worker of a fleet, relabelled by first appearance when the fleet's workers are interchangeable;
 * - `ignore`: bookkeeping that only permutes which branch names which worker (left out of canonical forms
 *   when the machine has interchangeable workers).
 * `path` is a field name, `field[]` for every element of an array of numbers, or `field[].sub` for a field of every element of an array of objects.
 */
export interface IdField {
  path: string;
  role: 'ownCopy' | 'instanceIndex' | 'worker' | 'ignore';
}

/**
 * Which connections an event of a type may touch: `connection`: only the
 * connection it arrived on (and, for a tier that proxies 1:1, that
 * connection's twin); `instance`: any connection of the instance (shared
 * pools, queues). Events of different connections with `connection`
 * footprints commute: the partial-order reduction a search needs.
 */
export type Footprint = 'connection' | 'instance';

/** What composing a system tells a machine about the copy it runs as. */
export interface ComposeContext {
  /** 1-based copy number (clients, per-instance tiers), 0 for a shared tier. */
  copy: number;
  /** Instances behind the load balancer. */
  instances: number;
  /** Requests each client sends (the exploration bound). */
  requests: number;
}

/**
 * One connection a tier holds, as reports show it (the HTML report's trace
 * explorer lists them per tier and step).
 * - `side`: towards the client (`down`), towards the next tier (`up`), or
 *   both at once (`through`: a pass-through flow);
 * - `status`: `active` carries a request now (at a limiter: holds a slot);
 *   `parked` was accepted but is left unread; `idle` is open, carries nothing
 *   and may be reused or time out; `open` is held by a tier that does not
 *   follow requests on it (a pass-through flow, a server's connection);
 * - `detail`: a few words (the request on it, the slot, the target).
 */
export interface ConnectionView {
  conn: string;
  side: 'down' | 'up' | 'through';
  status: 'active' | 'parked' | 'idle' | 'open';
  detail?: string;
}

/** Connections counted by side and status: `through.open`, `down.parked`. */
export type ConnectionCounts = Partial<Record<`${ConnectionView['side']}.${ConnectionView['status']}`, number>>;

/** Connection views counted by side and status (`countConnections` from `describeConnections`). */
export function countFrom(views: readonly ConnectionView[]): ConnectionCounts {
  const counts: ConnectionCounts = {};
  for (const v of views) counts[`${v.side}.${v.status}`] = (counts[`${v.side}.${v.status}`] ?? 0) + 1;
  return counts;
}

export interface MachineDescriptor<P extends object = object> {
  /** The machine kind, as topologies name it (`l7Proxy`). */
  kind: string;
  /** The kind as topology files name it (`proxy`). */
  fileKind: string;
  /** One line: what this kind of tier does to connections. */
  about: string;
  role: TierRole;
  machine: AnyStateMachine;
  params: {
    /** The parameters a topology file may set, as zod schemas (models/params/fields.ts). */
    fields: { readonly [K in keyof P]?: z.ZodType };
    /** Parameters set when a system is composed, never by files (a client's `requests`, a load balancer's `targets`). */
    composed: readonly (keyof P & string)[];
    /** Values when no preset gives them. */
    defaults: P;
    /** Where each default comes from. */
    sources: { readonly [K in keyof P]?: Provenance };
    /** Parameters a file must set when it starts from no preset. */
    required: readonly (keyof P & string)[];
  };
  /**
   * Parameters the topology decides, filled in when a tier joins one (a load
   * balancer's targets are the topology's instances), so that a topology
   * states them as they will run.
   */
  settle?(params: P, topology: { instances: number }): P;
  /** The machine's input for one copy of a tier with these parameters. */
  input(params: P, at: ComposeContext): unknown;
  /** Context fields holding numbers that name copies, targets or workers (for symmetry). Test: every numeric id field is listed. */
  ids: readonly IdField[];
  /** Numeric context fields that count or measure and never name a copy (`sent`, `down[].served`): symmetry leaves them. */
  counters: readonly string[];
  /** With these parameters, how many interchangeable workers the machine runs (null: none to relabel). */
  workers?(params: P): number | null;
  /** A requester's request-id prefix (`r`: `r1.2`): request ids name the copy that sent them. */
  requestPrefix?(params: P): string;
  /** The latency window of the messages it sends with a latency of their own (a server's response time), if any. */
  responseLatency?(params: P): readonly [number, number];
  /** Whether it may leave a connection unread (a parked connection: its messages have no deadline). */
  parks: boolean;
  /**
   * A parking machine: the connections whose unread messages a reaction from
   * context `before` to `after` may have made readable; messages on any other
   * connection stay unread. Absent: any may have (a driver asks again about
   * every unread message after each reaction, as src/simulate does).
   */
  unparks?(before: Readonly<Record<string, unknown>>, after: Readonly<Record<string, unknown>>): Iterable<string>;
  /** Per event type, the connections an event may touch (default `instance`). */
  footprint: Partial<Record<TierEventType, Footprint>>;
  /**
   * Branches of an event worth exploring: one per class of interchangeable
   * outcomes (a fleet: each worker holding something, one empty worker).
   * Default: every branch.
   */
  distinctPicks?(context: Readonly<Record<string, unknown>>, type: TierEventType, branches: number): number[];
  /** A name-independent summary of a requester's state, ordering copies for symmetry (default: array sizes and state value). */
  signature?(value: unknown, context: Readonly<Record<string, unknown>>): string;
  /** Timers that close or drop an idle connection (`idle:…`): what close races are made of. */
  closesIdle?(timerKey: string): boolean;
  /** A few words on a tier of this kind for listings: `fleet of 20`, `limit 15`. */
  brief?(params: P): string | null;
  /** The variant of behaviour the parameters select, for diagram notes: `fleet`, `perRequest`. */
  variant?(params: P): string | null;
  /**
   * The connections a snapshot's context holds, for reports (which never read
   * context fields themselves). Optional: reports show only the state value
   * of a kind without it. With `details: false` the views may leave out
   * `detail` (a simulation counts them every simulated second, over
   * thousands of connections).
   */
  describeConnections?(context: Readonly<Record<string, unknown>>, options?: { details?: boolean }): ConnectionView[];
  /**
   * How many connections `describeConnections` would give, by side and
   * status (`through.open`), without building them: a simulation counts them
   * every simulated second over thousands of connections. Optional: counted
   * from `describeConnections` without it.
   */
  countConnections?(context: Readonly<Record<string, unknown>>): ConnectionCounts;
}

export type AnyMachineDescriptor = MachineDescriptor<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Declares a descriptor, checking at compile time that every parameter is
 * either settable in files or set when composing: a parameter added to a
 * machine without that decision is a type error.
 */
export function describeMachine<P extends object>() {
  return <const D extends MachineDescriptor<P>>(d: D & CoversParams<P, D>): MachineDescriptor<P> => d;
}

type Uncovered<P, D> = D extends { params: { fields: infer F; composed: readonly (infer C)[] } } ? Exclude<keyof P, keyof F | C> : never;
type CoversParams<P, D> = [Uncovered<P, D>] extends [never] ? unknown : { missingParams: Uncovered<P, D> };
