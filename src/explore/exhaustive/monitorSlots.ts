import type { SystemModel } from '../../../models/system.js';
import type { TraceEvent } from '../../kernel/events.js';
import type { Monitor, Property, Violation } from '../property.js';
import type { SymState } from './symbolic.js';

/**
 * One monitor per facet, shared by every state: a state carries each
 * monitor's saved state (null: not watched), restored into the monitor only
 * when it is not the one loaded already.
 */
export class MonitorSlots {
  private readonly monitors: Monitor[];
  private readonly loaded: unknown[];
  /** Per facet: decided (a real violation, or in exact time the first one); its monitor is no longer run. */
  readonly decided: boolean[];

  constructor(model: SystemModel, property: Property, facets: readonly (string | null)[]) {
    this.monitors = facets.map((f) => property.monitor(model.topology, f));
    for (const m of this.monitors)
      if (!m.save || !m.restore)
        throw new Error(`property '${property.name}' declares capabilities.exhaustive, but its monitor has no save/restore; this is a bug in the property`);
    this.loaded = this.monitors.map((m) => m.save!());
    this.decided = facets.map(() => false);
  }

  /** The monitors' states at the initial state. */
  initial(): unknown[] {
    return [...this.loaded];
  }

  private restore(i: number, saved: unknown): Monitor {
    const m = this.monitors[i]!;
    if (this.loaded[i] !== saved) {
      m.restore!(saved);
      this.loaded[i] = saved;
    }
    return m;
  }

  /**
   * The monitors' states after a step from states `mons` through `events`
   * into `state`. A monitor that reports a violation is told to `violated`
   * (at once, in facet order) and is not watched further on this path.
   */
  observe(mons: readonly unknown[], events: readonly TraceEvent[], state: SymState['state'], violated: (i: number, v: Violation) => void): unknown[] {
    const out = mons.slice();
    for (let i = 0; i < this.monitors.length; i++) {
      // Decided, or already violated on the way here (a path that turned out spurious): not watched.
      if (this.decided[i] || mons[i] === null) {
        out[i] = null;
        continue;
      }
      const m = this.restore(i, mons[i]);
      let v: Violation | null = null;
      for (const e of events) if ((v = m.observe(e))) break;
      if (!v && m.observeState) v = m.observeState(state);
      if (v) {
        violated(i, v);
        out[i] = null;
        continue;
      }
      out[i] = this.loaded[i] = m.save!();
    }
    return out;
  }

  /** A quiescent state: the end of the run for each monitor still watched (trace monitors may report there). */
  end(mons: readonly unknown[], step: number, violated: (i: number, v: Violation) => void): void {
    for (let i = 0; i < this.monitors.length; i++) {
      if (this.decided[i] || mons[i] === null) continue;
      const m = this.restore(i, mons[i]);
      const v = m.end(true, { step, t: 0 });
      this.loaded[i] = null; // end() may change the monitor
      if (v) violated(i, v);
    }
  }
}
