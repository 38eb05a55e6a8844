import type { SystemModel } from '../../../models/system.js';
import { parkedMessages } from '../../kernel/occurrences.js';
import type { SymState } from './symbolic.js';

/** A state's clocks, in canonical order, as the LU inclusion test needs them. */
export interface ClockBounds {
  /** Per clock, the largest constant it will be compared with from below (a guard x >= c). */
  L: Int32Array;
  /** Per clock, the largest constant it will be compared with from above (an invariant x <= c). */
  U: Int32Array;
  /** Which clocks share an activity (activity time), numbered by first appearance: only zones with the same partition are compared. */
  partition: string;
}

/**
 * The L and U bounds of each clock of a symbolic state (see `includedLU` in
 * dbm.ts). A clock belongs to the messages and timers reset with it, and a
 * clock is never reset again (a new message or timer gets a fresh clock), so
 * its future comparisons are those of its own items:
 * - a message's guard clock: age >= min latency (L);
 * - its deadline clock: age <= max latency while it is readable (U). A
 *   message its receiver may leave unread (parked) is tested for being past
 *   its deadline when it becomes readable (age >= max + 1: L). The kernel's
 *   FIFO rule compares the deadline clock with the difference of two
 *   windows' maxima when a later message on the channel has a shorter window;
 * - a timer's clock: it fires exactly at its delay (L and U).
 *
 * Only machines whose descriptor says they park leave messages unread (a
 * connection limiter's queued connection); every other tier reads what
 * arrives. That is checked on every state: a message parked anywhere else
 * stops the search with an error rather than letting a wrong bound prune a state.
 */
export class ClockBoundsOf {
  private readonly parking: ReadonlySet<string>;
  /** The shortest window maximum a message can have (network latency, server response times). */
  private readonly shortest: number;

  constructor(private readonly model: SystemModel) {
    this.parking = new Set(model.instances.filter((i) => i.descriptor.parks).map((i) => i.id));
    let shortest = model.topology.latency[1];
    for (const i of model.instances) {
      const window = i.descriptor.responseLatency?.(i.tier.params);
      if (window) shortest = Math.min(shortest, window[1]);
    }
    this.shortest = shortest;
  }

  of(sym: SymState, order: readonly number[]): ClockBounds {
    const { state, pend, tim } = sym;
    const n = sym.zone.n;
    const L = new Int32Array(n);
    const U = new Int32Array(n);
    for (let k = 0; k < state.pending.length; k++) {
      const p = state.pending[k]!;
      const g = pend[4 * k]!;
      const d = pend[4 * k + 1]!;
      const max = pend[4 * k + 3]!;
      if (max < this.shortest)
        throw new Error(
          `exhaustive: a message on ${p.conn} has a latency window shorter than any the LU bounds know (${max} < ${this.shortest} ms); this is a bug in the search`,
        );
      L[g] = Math.max(L[g]!, pend[4 * k + 2]!);
      U[d] = Math.max(U[d]!, max);
      L[d] = Math.max(L[d]!, this.parking.has(p.to) ? max + 1 : max - this.shortest);
    }
    for (let j = 0; j < state.timers.length; j++) {
      const c = tim[2 * j]!;
      L[c] = Math.max(L[c]!, tim[2 * j + 1]!);
      U[c] = Math.max(U[c]!, tim[2 * j + 1]!);
    }
    for (const p of parkedMessages(this.model, state))
      if (!this.parking.has(p.to))
        throw new Error(
          `exhaustive: ${p.to} left a ${p.wire.kind} on ${p.conn} unread, but its machine's descriptor says it never parks (the LU bounds assume it); this is a bug in the model or the search`,
        );
    const Lc = new Int32Array(n);
    const Uc = new Int32Array(n);
    const names = new Map<number, number>();
    let partition = '';
    for (let a = 0; a < n; a++) {
      const c = order[a]!;
      Lc[a] = L[c]!;
      Uc[a] = U[c]!;
      if (a > 0 && sym.activity) {
        const act = sym.activity[c]!;
        let name = names.get(act);
        if (name === undefined) names.set(act, (name = names.size));
        partition += `${name},`;
      }
    }
    return { L: Lc, U: Uc, partition };
  }
}
