import type { SystemModel } from '../../../models/system.js';
import type { Property, Violation } from '../property.js';
import { canonicalForm } from '../../kernel/canonical.js';
import { MonitorSlots } from './monitorSlots.js';
import { expand, initialSymState, type SymState, type Transition } from './symbolic.js';
import { pack, unpack } from './transitions.js';
import { FingerprintSet, IntColumn } from './visited.js';
import { ZoneStore } from './zoneStore.js';

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
  /** The zones kept per discrete state (zoneStore.ts). */
  private readonly zones: ZoneStore;
  totalStates = 0;
  depth = 0;
  stoppedBy: StopReason | null = null;
  peakRss = 0;
  private level: Node[] = [];
  private next: Node[] = [];
  private cursor = 0;
  /** The facets' monitors and which facets are decided (monitorSlots.ts). */
  private readonly monitors: MonitorSlots;
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
    this.monitors = new MonitorSlots(model, property, facets);
    const sym = initialSymState(model);
    delete sym.born; // only concretisation tracks when clocks were reset
    const init: Node = { sym, mons: this.monitors.initial(), id: 0 };
    const form = this.form(init.sym, init.mons);
    this.visited.add(form.hi, form.lo);
    this.zones = new ZoneStore(model, limits);
    this.zones.initial(sym, form.order);
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
    const zone = this.zones.keep(r, sym, f.order);
    if (zone === null) return null;
    const id = this.parent.push(parentId);
    this.trans.push(pack(trans));
    return { sym: zone === sym.zone ? sym : { ...sym, zone }, mons, id };
  }

  /** hull mode: revisits whose zone was not contained in the one kept, which was widened and re-explored. */
  get widened(): number {
    return this.zones.widened;
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
    if (this.limits.time === 'exact') this.monitors.decided[i] = true;
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
        this.monitors.decided[i] = true;
        if (this.spurious.has(facet)) this.foundAfterSpurious.add(facet);
      }
    }
    this.candidates.clear();
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
    if (this.monitors.decided.every((d) => d)) {
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
      const mons = this.monitors.observe(node.mons, succ.events, succ.sym.state, (i, v) => this.record(i, v, node.id, succ.trans));
      const reached = this.reach(succ.sym, mons, node.id, succ.trans);
      if (reached) this.next.push(reached);
    });
    if (enabled === 0) {
      // Quiescent: nothing can ever happen again. The end of a run for trace monitors.
      this.monitors.end(node.mons, this.depth, (i, v) => this.record(i, v, node.id, null));
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
