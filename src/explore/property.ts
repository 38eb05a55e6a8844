import type { Topology } from '../../models/topologies/topology.js';
import type { SystemState } from '../kernel/state.js';
import type { Scenario } from './scenarios.js';
import type { TraceEvent } from '../kernel/events.js';

/**
 * What a check concludes about a property on a topology:
 * - `holds` / `violated`: an `always` or `trace` property, within the bounds explored;
 * - `reachable`: a `sometimes` property's witness was found;
 * - `not found`: random exploration found no witness in its runs (not a proof);
 * - `unreachable`: a complete exhaustive search found no witness (a proof within its bounds);
 * - `undecided`: the exploration stopped before deciding (a truncated exhaustive search proves nothing; an
 *   interrupted check decided only part);
 * - `not applicable`: the property says nothing about this topology (`Property.applies`), so nothing was run.
 */
export type Verdict = 'holds' | 'violated' | 'reachable' | 'not found' | 'unreachable' | 'undecided' | 'not applicable';

/** Whether a property can say anything about a topology, and if not, why (declared from the topology, never found by running). */
export type Applicability = { applies: true } | { applies: false; reason: string };

export interface Violation {
  property: string;
  /** The part of the property that failed (for one-to-one: the tier boundary). */
  facet: string | null;
  message: string;
  /** The step at which it became violated: the counterexample is the trace up to it. */
  step: number;
  t: number;
}

/** Watches one run's trace as it is produced. */
export interface Monitor {
  observe(event: TraceEvent): Violation | null;
  /** Optional: look at the whole system state after each step (for `always` invariants over state). */
  observeState?(state: SystemState): Violation | null;
  /** Called once when the run stops; `quiescent` says nothing was left to happen; `last` is the final step. */
  end(quiescent: boolean, last: Pick<TraceEvent, 'step' | 't'>): Violation | null;
  /**
   * For exhaustive search (a property whose `capabilities.exhaustive` is
   * true must have them), where every state carries its monitor's state:
   * that state as immutable plain data, and back. Objects are maps or sets
   * keyed by ids (the search renames ids canonically and sorts keys), arrays
   * are sequences. `save` returns the very object last saved or restored
   * when nothing changed since (so unchanged states cost nothing).
   */
  save?(): unknown;
  restore?(saved: unknown): void;
}

/**
 * How a property's monitor reports, and so how a driver turns runs into a verdict:
 * - `always`: an invariant; the monitor reports a violation on the first bad event or state;
 * - `trace`: an observer over the trace, possibly with deadlines ("answered within T");
 *   it may also report at `end` (e.g. something never happened though the run came to rest);
 * - `sometimes`: reachability; the monitor reports a *witness* (a Violation object whose
 *   message says what was reached). The verdict is `reachable` when some run yields one,
 *   `not found` when random runs found none, `unreachable` when a complete search found none.
 *   `witnessIs` says whether reaching it is the failure (a bad state) or not reaching it.
 */
export type PropertyKind = 'always' | 'trace' | 'sometimes';

/**
 * A property is a named monitor over traces. Drivers (random exploration,
 * exhaustive search) decide the verdict by running it; the property itself
 * never decides. A property may be split into facets (one-to-one: one per
 * tier boundary), each checked and reported on its own.
 */
export interface Property {
  name: string;
  kind: PropertyKind;
  /** A short statement for listings, not naming any topology's tiers. */
  description: string;
  /** What it promises on `topology`, naming that topology's own tiers and numbers (`limiter never has more than 2 active ...`). */
  statement(topology: Topology): string;
  /**
   * Whether it says anything about `topology`, declared from the topology
   * alone (default: it does). A property that does not apply (no connection
   * limiter to hold to its limit, no request timeout to be a deadline) gets
   * the verdict `not applicable` with this reason instead of a vacuous `holds`.
   */
  applies?(topology: Topology): Applicability;
  /** What a facet is, for reports: one-to-one's facets are tier boundaries. */
  facetKind?: 'boundary';
  /** What drivers may do with it, declared (test/properties checks each declaration against the monitor). */
  capabilities: PropertyCapabilities;
  facets(topology: Topology): string[];
  monitor(topology: Topology, facet: string | null): Monitor;
  /**
   * Optional: the exploration bounds this property needs on `topology`, when
   * the topology's small-check defaults are too small to reach what it is
   * about (no-starvation needs `limit + 1` connections at one instance).
   * Drivers use them unless the caller gives bounds explicitly.
   */
  bounds?(topology: Topology): PropertyBounds;
  /**
   * Optional: directed schedules to try before random ones (fast-check
   * `examples`), for behaviour random schedules rarely reach, e.g. a client
   * that sends its next request just as some tier's idle timeout fires. They
   * are ordinary scenarios: the verdict still comes from running them.
   */
  examples?(topology: Topology): Scenario[];
  /**
   * `sometimes` only: what a witness is. `bad` (health-blind-spot: the check
   * green while a request starves): a witness is a finding, `reachable` is the
   * failing verdict. `good` (default): something that must stay possible, so
   * `not found` and `unreachable` are the failing ones.
   */
  witnessIs?: 'bad' | 'good';
  /** Optional: numbers behind the property over many runs, shown by the matrix and reports (flow-bound: connections per client connection). */
  measure?: PropertyMeasure;
}

export interface PropertyCapabilities {
  /**
   * Exhaustive search can decide it: its monitor saves and restores its state
   * and its verdict never depends on event times (the search explores time
   * as zones; see docs/exhaustive.md).
   */
  exhaustive: boolean;
  /** Its monitor compares event times (a deadline, an idle time): only concrete runs decide it. */
  readsTime: boolean;
}

/** Numbers a property measures on one topology, for reports. */
export interface PropertyMeasure {
  /** The key of the numbers in JSON reports (`flows`). */
  key: string;
  /** A heading for documents. */
  heading: string;
  /** One paragraph on what is measured, over how many random runs. */
  intro(runs: number): string;
  /** Measures on one topology: the numbers, and one line that states them. */
  run(topology: Topology, options: { runs: number; seed: number }): { data: unknown; line: string };
}

/** Exploration bounds a property asks for; each field is optional and replaces the topology's default. */
export interface PropertyBounds {
  clients?: number;
  requests?: number;
  maxSteps?: number;
  scheduleLength?: number;
  /** Why it needs them, for reports when the caller explores less (`a full 15-slot queue needs 16 connections: limit + 2 requests`). */
  why?: string;
}

export function violation(property: string, facet: string | null, event: Pick<TraceEvent, 'step' | 't'>, message: string): Violation {
  return { property, facet, message, step: event.step, t: event.t };
}
