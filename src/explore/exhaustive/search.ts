import type { SystemModel } from '../../../models/system.js';
import type { Monitor, Property, Violation } from '../property.js';
import { canonicalForm, permuteZone, unpermuteZone } from '../../kernel/canonical.js';
import { ClockBoundsOf } from './clockBounds.js';
import { close, includedLU, INF, le } from './dbm.js';

/** Exact convex hulls per discrete state before widening jumps in (hull mode). */
const WIDEN_EXACTLY = 2;
import type { TraceEvent } from '../../kernel/events.js';
import { expand, initialSymState, type SymState, type Transition } from './symbolic.js';
import { FingerprintSet, IntColumn } from './visited.js';

/**
 * How time is explored. `exact`: global time, one zone per state (sound and
 * complete). `activity`: each activity (a client and what its requests
 * cause, a health checker and its checks) in its own local time, unrelated
 * to the others' (an over-approximation: proofs stay proofs, paths found are
 * re-checked in exact time). `hull`: one convex zone per discrete state,
 * widened (an over-approximation too). See docs/exhaustive.md.
 */
export type TimeAbstraction = 'exact' | 'activity' | 'hull';
export const TIME_ABSTRACTIONS: readonly TimeAbstraction[] = ['activity', 'exact', 'hull'];

export interface SearchLimits {
  /** Deepest level explored (kernel steps from the initial state). */
  depth: number;
  /** Most unique states stored. */
  maxStates: number;
  /** Canonical renaming with symmetry reduction (clients, instances, gateway workers). */
  symmetry: boolean;
  /** Stop at the end of the first level where a facet is decided (a violation, or a witness for `sometimes`). */
  stopAtFirst: boolean;
  time: TimeAbstraction;
  /** How a zone is found redundant: `lu` (default) by LU simulation, `plain` by set inclusion. */
  inclusion?: 'lu' | 'plain';
}

interface KeptZone {
  z: Int32Array;
  partition: string;
}

/** Why the search stopped. */
export type StopReason = 'complete' | 'found' | 'depth' | 'max-states' | 'interrupted';

export interface Found {
  facet: string | null;
  violation: Violation;
  /** The path from the initial state, as transitions; its length is the number of steps. */
  path: Transition[];
  /** What the validator made of it (a concrete counterexample), when there is one. */
  concrete?: unknown;
}

/**
 * Re-checks a path found in exact concrete time; returns what it concretises
 * to, or null when the path is spurious (possible only when time is
 * over-approximated).
 */
export type Validator = (found: Found) => unknown;

/** Violating paths kept per facet and level for validation (they are tried in breadth-first order). */
const CANDIDATES_PER_LEVEL = 32;

export interface SearchStats {
  /** Successor states generated (with duplicates). */
  totalStates: number;
  /** Symbolic states kept: a discrete part with a zone (several zones per discrete part when none contains another; one in hull mode). */
  uniqueStates: number;
  /** Distinct discrete parts among them. */
  discreteStates: number;
  /** Every path of at most this many steps was checked (for a complete search: the longest shortest path). */
  depth: number;
  seconds: number;
  stoppedBy: StopReason;
  /** The state space was exhausted within the limits: every reachable state was expanded. */
  complete: boolean;
  peakRssBytes: number;
  visitedBytes: number;
  collisionProbability: number;
}

interface Node {
  sym: SymState;
  mons: unknown[];
  id: number;
}

/** Thrown when a property declares it cannot be searched exhaustively (`capabilities.exhaustive` false). */
export class NotExhaustible extends Error {}

/**
 * Breadth-first search over symbolic states (discrete state, zone, monitor
 * states), deduplicated by canonical fingerprint. Runs in slices so that a
 * caller can yield to the event loop (progress, Ctrl-C) between them.
 */
export class Search {
  readonly visited = new FingerprintSet(1 << 16);
  readonly parent = new IntColumn();
  readonly trans = new IntColumn();
  readonly found = new Map<string | null, Found>();
  /** Facets for which a path found was infeasible in exact time (they cannot be proved to hold). */
  readonly spurious = new Map<string | null, number>();
  /** Set when a real path was found after a spurious one: it may not be the shortest. */
  readonly foundAfterSpurious = new Set<string | null>();
  private candidates = new Map<number, Found[]>();
  /** hull mode: the zone kept per discrete state (canonical clock order), by entry number. */
  private readonly zones: Int32Array[] = [];
  /** exact and activity modes: the zones kept per discrete state (canonical clock order, none simulating another), by entry number, with their activity partition. */
  private readonly zoneLists: KeptZone[][] = [];
  private readonly clockBounds: ClockBoundsOf;
  /** hull mode: revisits whose zone was not contained in the one kept, which was widened and re-explored. */
  widened = 0;
  /** hull mode: widenings so far per entry; after WIDEN_EXACTLY of them, lower and relative bounds jump. */
  private readonly widenings: number[] = [];
  totalStates = 0;
  depth = 0;
  stoppedBy: StopReason | null = null;
  peakRss = 0;
  private level: Node[] = [];
  private next: Node[] = [];
  private cursor = 0;
  private readonly monitors: Monitor[];
  private readonly loaded: unknown[];
  private readonly decided: boolean[];
  private readonly started = process.hrtime.bigint();
  private stopRequested = false;

  constructor(
    readonly model: SystemModel,
    readonly property: Property,
    readonly facets: readonly (string | null)[],
    readonly limits: SearchLimits,
    private readonly validate: Validator | null = null,
  ) {
    if (!property.capabilities.exhaustive)
      throw new NotExhaustible(
        `property '${property.name}' cannot be checked exhaustively: ${property.capabilities.readsTime ? 'its verdict depends on event times (a deadline), which the search explores as zones' : 'its monitor keeps no plain-data state'}; use random exploration (see docs/exhaustive.md)`,
      );
    this.monitors = facets.map((f) => property.monitor(model.topology, f));
    for (const m of this.monitors)
      if (!m.save || !m.restore)
        throw new Error(`property '${property.name}' declares capabilities.exhaustive, but its monitor has no save/restore; this is a bug in the property`);
    this.loaded = this.monitors.map((m) => m.save!());
    this.decided = facets.map(() => false);
    const sym = initialSymState(model);
    delete sym.born; // only concretisation tracks when clocks were reset
    const init: Node = { sym, mons: [...this.loaded], id: 0 };
    const form = this.form(init.sym, init.mons);
    this.visited.add(form.hi, form.lo);
    this.clockBounds = new ClockBoundsOf(model);
    this.zones.push(permuteZone(sym.zone.n, sym.zone.d, form.order));
    this.zoneLists.push([{ z: this.zones[0]!, partition: this.clockBounds.of(sym, form.order).partition }]);
    this.parent.push(-1);
    this.trans.push(0);
    this.level = [init];
  }


  private form(sym: SymState, mons: readonly unknown[]) {
    return canonicalForm(
      this.model,
      { state: sym.state, timing: { pend: sym.pend, tim: sym.tim, n: sym.zone.n, d: sym.zone.d }, monitors: mons },
      { symmetry: this.limits.symmetry, zone: false },
    );
  }

  /** Records a reached state; returns the node to explore from, or null when nothing new was reached. */
  private reach(sym: SymState, mons: unknown[], parentId: number, trans: Transition): Node | null {
    const f = this.form(sym, mons);
    const r = this.visited.addOrGet(f.hi, f.lo);
    let zone = sym.zone;
    if (this.limits.time === 'hull') {
      const z = permuteZone(zone.n, zone.d, f.order);
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
            maxOf ??= clockMaxima(sym, f.order);
            z[i] = Math.max(z[i]!, le(maxOf[i / n]!));
          }
        }
        const hull = { n: zone.n, d: z };
        close(hull);
        this.zones[-r - 1] = hull.d;
        this.widened++;
        zone = { n: zone.n, d: unpermuteZone(zone.n, hull.d, f.order) };
      }
    } else if (!this.keepZone(r, sym, f.order)) return null;
    const id = this.parent.push(parentId);
    this.trans.push(pack(trans));
    return { sym: zone === sym.zone ? sym : { ...sym, zone }, mons, id };
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
    const lu = this.limits.inclusion !== 'plain';
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

  /** Symbolic states kept (discrete part and zone): the states of the search. */
  get uniqueStates(): number {
    return this.parent.length;
  }

  /** Distinct discrete parts (a state's zones share one). */
  get discreteStates(): number {
    return this.visited.size;
  }

  get seconds(): number {
    return Number(process.hrtime.bigint() - this.started) / 1e9;
  }

  get done(): boolean {
    return this.stoppedBy !== null;
  }

  /** Ask the search to stop (Ctrl-C); it stops before the next state. */
  interrupt(): void {
    this.stopRequested = true;
  }

  /** The path of node `id`, as transitions from the initial state. */
  pathTo(id: number): Transition[] {
    const path: Transition[] = [];
    for (let i = id; i > 0; i = this.parent.get(i)) path.push(unpack(this.trans.get(i)));
    return path.reverse();
  }

  /**
   * A violating step (or quiescent state) of facet i at this level. In exact
   * time the first one is a shortest counterexample and decides the facet;
   * over-approximated time keeps a few, validated at the end of the level.
   */
  private record(i: number, v: Violation, parentId: number, last: Transition | null): void {
    const facet = this.facets[i]!;
    const list = this.candidates.get(i) ?? [];
    this.candidates.set(i, list);
    if (list.length >= CANDIDATES_PER_LEVEL) return;
    const path = this.pathTo(parentId);
    if (last) path.push(last);
    list.push({ facet, violation: v, path });
    if (this.limits.time === 'exact') this.decided[i] = true;
  }

  /** Validates the level's candidates: the first real one per facet decides it. */
  private settleCandidates(): void {
    for (const [i, list] of this.candidates) {
      const facet = this.facets[i]!;
      let real: Found | null = null;
      for (const f of list) {
        const concrete = this.validate ? this.validate(f) : true;
        if (concrete !== null) {
          real = { ...f, concrete };
          break;
        }
        this.spurious.set(facet, (this.spurious.get(facet) ?? 0) + 1);
      }
      if (real) {
        this.found.set(facet, real);
        this.decided[i] = true;
        if (this.spurious.has(facet)) this.foundAfterSpurious.add(facet);
      }
    }
    this.candidates.clear();
  }

  private restore(i: number, saved: unknown): Monitor {
    const m = this.monitors[i]!;
    if (this.loaded[i] !== saved) {
      m.restore!(saved);
      this.loaded[i] = saved;
    }
    return m;
  }

  /** Expand states for about `ms` milliseconds (Infinity: to the end). Returns true when the search is over. */
  run(ms = Number.POSITIVE_INFINITY): boolean {
    const until = Date.now() + ms;
    let checks = 0;
    while (this.stoppedBy === null) {
      if (this.stopRequested) {
        this.stoppedBy = 'interrupted';
        break;
      }
      if (this.cursor >= this.level.length) {
        this.endLevel();
        continue;
      }
      const node = this.level[this.cursor]!;
      this.level[this.cursor++] = undefined as unknown as Node; // let it be collected
      this.expandNode(node);
      if (this.uniqueStates >= this.limits.maxStates && this.stoppedBy === null) this.stoppedBy = 'max-states';
      if ((++checks & 63) === 0) {
        const rss = process.memoryUsage.rss();
        if (rss > this.peakRss) this.peakRss = rss;
        if (Date.now() >= until) break;
      }
    }
    if (this.stoppedBy !== null && this.candidates.size > 0) this.settleCandidates(); // stopped inside a level
    return this.stoppedBy !== null;
  }

  private endLevel(): void {
    this.settleCandidates();
    if (this.limits.stopAtFirst && this.found.size > 0) {
      this.stoppedBy = 'found';
      return;
    }
    if (this.decided.every((d) => d)) {
      this.stoppedBy = 'found';
      return;
    }
    if (this.next.length === 0) {
      this.stoppedBy = 'complete';
      return;
    }
    if (this.depth + 1 >= this.limits.depth) {
      this.stoppedBy = 'depth';
      return;
    }
    this.depth += 1;
    this.level = this.next;
    this.next = [];
    this.cursor = 0;
  }

  private expandNode(node: Node): void {
    const enabled = expand(this.model, node.sym, { pruneBranches: this.limits.symmetry, perActivity: this.limits.time === 'activity' }, (succ) => {
      this.totalStates++;
      const mons = node.mons.slice();
      for (let i = 0; i < this.monitors.length; i++) {
        // Decided, or already violated on the way here (a path that turned out spurious): not watched.
        if (this.decided[i] || node.mons[i] === null) {
          mons[i] = null;
          continue;
        }
        const m = this.restore(i, node.mons[i]);
        let v: Violation | null = null;
        for (const e of succ.events) if ((v = m.observe(e))) break;
        if (!v && m.observeState) v = m.observeState(succ.sym.state);
        if (v) {
          this.record(i, v, node.id, succ.trans);
          mons[i] = null;
          continue;
        }
        mons[i] = this.loaded[i] = m.save!();
      }
      const reached = this.reach(succ.sym, mons, node.id, succ.trans);
      if (reached) this.next.push(reached);
    });
    if (enabled === 0) {
      // Quiescent: nothing can ever happen again. The end of a run for trace monitors.
      for (let i = 0; i < this.monitors.length; i++) {
        if (this.decided[i] || node.mons[i] === null) continue;
        const m = this.restore(i, node.mons[i]);
        const v = m.end(true, { step: this.depth, t: 0 });
        this.loaded[i] = null; // end() may change the monitor
        if (v) this.record(i, v, node.id, null);
      }
    }
  }

  /** Every path of at most this many steps has been checked. */
  checkedDepth(): number {
    switch (this.stoppedBy) {
      case 'complete':
        return this.depth;
      case 'found':
      case 'depth':
        return this.depth + 1;
      default:
        return this.depth;
    }
  }

  stats(): SearchStats {
    return {
      totalStates: this.totalStates,
      uniqueStates: this.uniqueStates,
      discreteStates: this.visited.size,
      depth: this.checkedDepth(),
      seconds: this.seconds,
      stoppedBy: this.stoppedBy ?? 'interrupted',
      complete: this.stoppedBy === 'complete',
      peakRssBytes: Math.max(this.peakRss, process.memoryUsage.rss()),
      visitedBytes: this.visited.bytes + this.parent.bytes + this.trans.bytes,
      collisionProbability: this.visited.collisionProbability(),
    };
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

/** Transitions are stored as one int: occurrence (12 bits), pick (10), zone part (5), FIFO variant (5). */
function pack(t: Transition): number {
  if (t.occ >= 4096 || t.pick >= 1024 || t.part >= 32 || t.variant >= 32) throw new Error(`transition too large to store: ${JSON.stringify(t)}`);
  return t.occ | (t.pick << 12) | (t.part << 22) | (t.variant << 27);
}

function unpack(x: number): Transition {
  return { occ: x & 4095, pick: (x >>> 12) & 1023, part: (x >>> 22) & 31, variant: (x >>> 27) & 31 };
}
