import type { SystemModel } from '../../../models/system.js';
import { permuteZone, unpermuteZone } from '../../kernel/canonical.js';
import { ClockBoundsOf } from './clockBounds.js';
import { close, includedLU, INF, le, type Zone } from './dbm.js';
import type { SymState } from './symbolic.js';

/** Exact convex hulls per discrete state before widening jumps in (hull mode). */
const WIDEN_EXACTLY = 2;

interface KeptZone {
  z: Int32Array;
  partition: string;
}

/** How zones are kept: the search's limits (read when used). `time: 'hull'` keeps one zone per discrete state. */
export interface ZoneMode {
  readonly time: string;
  /** How a zone is found redundant: `lu` (default) by LU simulation, `plain` by set inclusion. */
  readonly inclusion?: 'lu' | 'plain';
}

/**
 * The zones kept per discrete state (by its entry number in the visited set),
 * in canonical clock order: what decides whether a state reached again is new.
 */
export class ZoneStore {
  /** hull mode: the zone kept per discrete state (canonical clock order), by entry number. */
  private readonly zones: Int32Array[] = [];
  /** exact and activity modes: the zones kept per discrete state (canonical clock order, none simulating another), by entry number, with their activity partition. */
  private readonly zoneLists: KeptZone[][] = [];
  private readonly clockBounds: ClockBoundsOf;
  /** hull mode: revisits whose zone was not contained in the one kept, which was widened and re-explored. */
  widened = 0;
  /** hull mode: widenings so far per entry; after WIDEN_EXACTLY of them, lower and relative bounds jump. */
  private readonly widenings: number[] = [];

  constructor(
    model: SystemModel,
    private readonly mode: ZoneMode,
  ) {
    this.clockBounds = new ClockBoundsOf(model);
  }

  /** Records the initial state's zone (entry 0), in every mode's store. */
  initial(sym: SymState, order: readonly number[]): void {
    this.zones.push(permuteZone(sym.zone.n, sym.zone.d, order));
    this.zoneLists.push([{ z: this.zones[0]!, partition: this.clockBounds.of(sym, order).partition }]);
  }

  /**
   * Records the zone of a reached state whose discrete part has entry `r`
   * (negative: seen before). Returns the zone to explore it with (its own, or
   * in hull mode a widened hull), or null when nothing new was reached.
   */
  keep(r: number, sym: SymState, order: readonly number[]): Zone | null {
    let zone = sym.zone;
    if (this.mode.time === 'hull') {
      const z = permuteZone(zone.n, zone.d, order);
      if (r >= 0) this.zones.push(z);
      else {
        const entry = -r - 1;
        const kept = this.zones[entry]!;
        let inside = true;
        for (let i = 0; i < z.length; i++) if (z[i]! > kept[i]!) inside = false;
        if (inside) return null;
        // The convex hull; after a few, a widening (as in abstract interpretation) so that a discrete
        // state is re-explored a bounded number of times: a lower bound that grew looser drops to 0,
        // a bound between two clocks that grew looser is dropped. Upper bounds keep the hull (they
        // are bounded by deadlines), so no urgency is invented.
        const n = zone.n;
        const jump = (this.widenings[entry] = (this.widenings[entry] ?? 0) + 1) > WIDEN_EXACTLY;
        let maxOf: number[] | null = null;
        for (let i = 0; i < z.length; i++) {
          if (kept[i]! >= z[i]!) z[i] = kept[i]!;
          else if (jump && i % n !== 0) z[i] = i < n ? le(0) : INF;
          else if (jump) {
            // an upper bound: up to the clock's largest constant (its deadline), never past it
            maxOf ??= clockMaxima(sym, order);
            z[i] = Math.max(z[i]!, le(maxOf[i / n]!));
          }
        }
        const hull = { n: zone.n, d: z };
        close(hull);
        this.zones[-r - 1] = hull.d;
        this.widened++;
        zone = { n: zone.n, d: unpermuteZone(zone.n, hull.d, order) };
      }
    } else if (!this.keepZone(r, sym, order)) return null;
    return zone;
  }

  /**
   * exact and activity modes: records the zone of a state whose discrete part has entry `r`
   * (negative: seen before). Returns false when a zone already kept for it
   * LU-simulates this one (`includedLU`): every discrete state reachable from
   * the new state is reachable from the kept one in as many steps, and
   * breadth-first order reached the kept one no later, so dropping it loses no
   * discrete state and no shortest path (UPPAAL's passed list, with the
   * a_LU inclusion of Herbreteau, Srivathsan and Walukiewicz). Zones it
   * simulates are forgotten (they were or will be expanded; they no longer
   * need comparing). `inclusion: 'plain'` compares zones by set inclusion only.
   */
  private keepZone(r: number, sym: SymState, order: readonly number[]): boolean {
    const b = this.clockBounds.of(sym, order); // also checks that only connection limiters park messages
    const mine: KeptZone = { z: permuteZone(sym.zone.n, sym.zone.d, order), partition: b.partition };
    if (r >= 0) {
      this.zoneLists.push([mine]);
      return true;
    }
    const n = sym.zone.n;
    const lu = this.mode.inclusion !== 'plain';
    // Clocks grouped into activities differently age differently (a finer grouping has more
    // behaviour), so zones are compared only between equal groupings.
    const simulates = (outer: KeptZone, inner: KeptZone) =>
      outer.partition === inner.partition && (lu ? includedLU(inner.z, outer.z, n, b.L, b.U) : includes(outer.z, inner.z));
    const kept = this.zoneLists[-r - 1]!;
    for (const k of kept) if (simulates(k, mine)) return false;
    const rest = kept.filter((k) => !simulates(mine, k));
    rest.push(mine);
    this.zoneLists[-r - 1] = rest;
    return true;
  }
}

/** Zone `outer` contains zone `inner` (same clocks, canonical order, both closed). */
function includes(outer: Int32Array, inner: Int32Array): boolean {
  if (outer.length !== inner.length) return false;
  for (let i = 0; i < inner.length; i++) if (inner[i]! > outer[i]!) return false;
  return true;
}

/** Each clock's smallest deadline (of a message or timer reading it), in canonical clock order: its widest sound upper bound. */
function clockMaxima(sym: SymState, order: readonly number[]): number[] {
  const raw: number[] = new Array(sym.zone.n).fill(INF >> 1);
  for (let i = 0; i < sym.pend.length; i += 4) raw[sym.pend[i + 1]!] = Math.min(raw[sym.pend[i + 1]!]!, sym.pend[i + 3]!);
  for (let j = 0; j < sym.tim.length; j += 2) raw[sym.tim[j]!] = Math.min(raw[sym.tim[j]!]!, sym.tim[j + 1]!);
  return order.map((c) => raw[c]!);
}
