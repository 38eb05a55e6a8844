import type { Topology } from '../models/topologies/topology.js';
import type { SystemState } from '../src/kernel/state.js';
import type { TraceEvent } from '../src/trace/events.js';

export type Verdict = 'holds' | 'violated';

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
}

/**
 * How a property's monitor reports, and so how a driver turns runs into a verdict:
 * - `always`: an invariant; the monitor reports a violation on the first bad event or state;
 * - `trace`: an observer over the trace, possibly with deadlines ("answered within T");
 *   it may also report at `end` (e.g. something never happened though the run came to rest);
 * - `sometimes`: reachability; the monitor reports a *witness* (a Violation object whose
 *   message says what was reached). The property holds when some run yields a witness,
 *   and is violated when none is found within the exploration budget.
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
  description: string;
  /** What a facet is, for reports: one-to-one's facets are tier boundaries. */
  facetKind?: 'boundary';
  facets(topology: Topology): string[];
  monitor(topology: Topology, facet: string | null): Monitor;
}

export function violation(property: string, facet: string | null, event: Pick<TraceEvent, 'step' | 't'>, message: string): Violation {
  return { property, facet, message, step: event.step, t: event.t };
}
