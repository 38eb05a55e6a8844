import { composeSystem } from '../../../models/system.js';
import type { Topology } from '../../../models/topologies/topology.js';
import type { Property, Verdict } from '../property.js';
import { counterexampleOf, type CheckResult, type Counterexample, type FacetResult } from '../check.js';
import { DEFAULT_MAX_STEPS } from '../run.js';
import type { Scenario } from '../scenarios.js';
import { concretize } from './concretize.js';
import { Search, type Found, type SearchStats, type StopReason, type TimeAbstraction } from './search.js';

export { NotExhaustible } from './search.js';
export type { SearchStats, StopReason, TimeAbstraction } from './search.js';
export { TIME_ABSTRACTIONS } from './search.js';

export interface ExhaustiveOptions {
  /** Client connections (default: the property's, else the topology's bound). */
  clients?: number;
  /** Requests per client (default: the property's, else the topology's bound). */
  requests?: number;
  /** Deepest level (kernel steps) explored. */
  depth: number;
  /** Most unique states stored. */
  maxStates: number;
  /** Canonical renaming with symmetry reduction (on by default). */
  symmetry: boolean;
  /** Stop at the end of the first level where something is found (default), or go on until every facet is decided. */
  stopAtFirst: boolean;
  /** How time is explored (default `activity`; `exact` is global time). See `TimeAbstraction` and docs/exhaustive.md. */
  time: TimeAbstraction;
  /** Called between slices of work (about every `sliceMs`): progress reports. */
  onProgress?: (p: ExhaustiveProgress) => void;
  sliceMs?: number;
}

export const DEFAULT_EXHAUSTIVE_OPTIONS: ExhaustiveOptions = {
  depth: 500,
  // About half a minute at the rates this machine reaches (npm run bench); raise with --max-states.
  maxStates: 200_000,
  symmetry: true,
  stopAtFirst: true,
  time: 'activity',
};

export interface ExhaustiveProgress {
  /** The bounds of the stage being searched. */
  clients: number;
  requests: number;
  totalStates: number;
  uniqueStates: number;
  depth: number;
  seconds: number;
  rssBytes: number;
}

/** What `--json` reports under `"exhaustive"`, and a little more. */
export interface ExhaustiveStats {
  /** Every reachable state within the bounds of the last stage (`clients`, `requests`) was explored: a `holds` is a proof for them. */
  complete: boolean;
  /** Every schedule of at most this many steps was checked. */
  depth: number;
  uniqueStates: number;
  totalStates: number;
  /** Generated states (with duplicates) per second. */
  statesPerSecond: number;
  uniqueStatesPerSecond: number;
  seconds: number;
  stoppedBy: StopReason;
  symmetry: boolean;
  /** The bounds of the last stage searched (the decisive one). */
  clients: number;
  requests: number;
  /** Every stage searched, smallest bounds first; the counts above are their sums. */
  stages: ExhaustiveStage[];
  /** The largest bounds the search would have gone to. */
  maxBounds: { clients: number; requests: number };
  peakRssBytes: number;
  /** Bytes of the visited set and path columns of the last stage (24 bytes per discrete state, 8 per state for the path back; the kept zones are not counted). */
  visitedBytes: number;
  /** Chance that two distinct states share a 64-bit fingerprint, so one went unexplored. */
  collisionProbability: number;
  /** Facets whose verdict the search did not reach (stopped first). */
  undecided: string[];
  /** Over-approximated time: facets for which only paths infeasible in exact time were found (their verdict is unknown). */
  spurious: string[];
  /** Every counterexample or witness reported is a shortest one (false when a spurious path of its facet came first). */
  shortest: boolean;
  timeAbstraction: TimeAbstraction;
  /** hull mode: revisits that widened a kept zone (and re-explored the state). */
  widened: number;
}

export interface ExhaustiveCheckResult extends CheckResult {
  exhaustive: ExhaustiveStats;
}

/** Bounds for a property on a topology: explicit options, then the property's own, then the topology's. */
export function exhaustiveBounds(topology: Topology, property: Property, options: Partial<ExhaustiveOptions>) {
  const p = property.bounds?.(topology) ?? {};
  return {
    clients: options.clients ?? p.clients ?? topology.bounds.clients,
    requests: options.requests ?? p.requests ?? topology.bounds.requests,
  };
}

/** One stage of a search: the bounds it explored and how it ended. */
export interface ExhaustiveStage {
  clients: number;
  requests: number;
  complete: boolean;
  depth: number;
  uniqueStates: number;
  totalStates: number;
  seconds: number;
  stoppedBy: StopReason;
}

/**
 * The bounds a search explores, smallest first ("small scope"): every
 * (clients, requests) up to the maximum, ordered by total requests, then
 * fewer clients. A dimension given explicitly is fixed.
 */
export function boundLadder(max: { clients: number; requests: number }, fixed: Partial<{ clients: number; requests: number }>) {
  const stages: { clients: number; requests: number }[] = [];
  for (let c = fixed.clients ?? 1; c <= (fixed.clients ?? max.clients); c++)
    for (let r = fixed.requests ?? 1; r <= (fixed.requests ?? max.requests); r++) stages.push({ clients: c, requests: r });
  return stages.sort((a, b) => a.clients * a.requests - b.clients * b.requests || a.clients - b.clients);
}

/**
 * A search, ready to run (in slices, for the command line) and to turn into
 * a result. Without explicit bounds it searches the smallest ones first and
 * moves to larger ones only while every smaller state space was exhausted
 * without deciding anything: a counterexample found is one with the fewest
 * client connections and requests, and among those a shortest one.
 */
export class ExhaustiveCheck {
  readonly options: ExhaustiveOptions;
  /** The largest bounds: the property's or the topology's, or the explicit ones. */
  readonly bounds: { clients: number; requests: number };
  readonly stages: readonly { clients: number; requests: number }[];
  private readonly keys: (string | null)[];
  private stage = 0;
  private current: Search;
  private readonly done: ExhaustiveStage[] = [];
  private interrupted = false;

  constructor(
    readonly topology: Topology,
    readonly property: Property,
    options: Partial<ExhaustiveOptions> = {},
  ) {
    this.options = { ...DEFAULT_EXHAUSTIVE_OPTIONS, ...options };
    this.bounds = exhaustiveBounds(topology, property, options);
    this.stages = boundLadder(this.bounds, { clients: options.clients, requests: options.requests });
    const facets = property.facets(topology);
    this.keys = facets.length > 0 ? facets : [null];
    this.current = this.searchFor(0, this.options.maxStates);
  }

  private searchFor(stage: number, maxStates: number): Search {
    const bounds = this.stages[stage]!;
    return new Search(
      composeSystem(this.topology, bounds),
      this.property,
      this.keys,
      { depth: this.options.depth, maxStates, symmetry: this.options.symmetry, stopAtFirst: this.options.stopAtFirst, time: this.options.time },
      (f) => this.validate(bounds, f),
    );
  }

  /** The search of the current stage. */
  get search(): Search {
    return this.current;
  }

  /** The bounds of the current stage. */
  get stageBounds(): { clients: number; requests: number } {
    return this.stages[this.stage]!;
  }

  /** A found path in exact concrete time: its counterexample, or null when time was over-approximated and the path is infeasible. */
  private validate(bounds: { clients: number; requests: number }, f: Found): Counterexample | null {
    try {
      return counterexampleFor(this.topology, this.property, bounds, f);
    } catch (e) {
      if (this.options.time === 'exact') throw e; // exact zones: a path that does not reproduce is a bug
      return null;
    }
  }

  /** Stops the search before its next state (Ctrl-C). */
  interrupt(): void {
    this.interrupted = true;
    this.current.interrupt();
  }

  /** Works for about `ms` milliseconds; true when the search is over. */
  run(ms = Number.POSITIVE_INFINITY): boolean {
    const until = Date.now() + ms;
    for (;;) {
      if (!this.current.run(Math.max(0, until - Date.now()))) return false;
      const s = this.current.stats();
      const used = this.done.reduce((n, d) => n + d.uniqueStates, 0) + s.uniqueStates;
      const next = s.stoppedBy === 'complete' && this.current.found.size === 0 && this.current.spurious.size === 0 && !this.interrupted;
      if (!next || this.stage + 1 >= this.stages.length || used >= this.options.maxStates) return true;
      this.done.push(stageOf(this.stages[this.stage]!, s));
      this.stage += 1;
      this.current = this.searchFor(this.stage, this.options.maxStates - used);
      if (Date.now() >= until) return false;
    }
  }

  progress(): ExhaustiveProgress {
    const s = this.current;
    const before = this.done.reduce((a, d) => ({ t: a.t + d.totalStates, u: a.u + d.uniqueStates, sec: a.sec + d.seconds }), { t: 0, u: 0, sec: 0 });
    return {
      totalStates: before.t + s.totalStates,
      uniqueStates: before.u + s.uniqueStates,
      depth: s.depth,
      seconds: before.sec + s.seconds,
      rssBytes: process.memoryUsage.rss(),
      ...this.stageBounds,
    };
  }

  /** Runs to the end, synchronously. */
  runToEnd(): ExhaustiveCheckResult {
    const slice = this.options.onProgress ? (this.options.sliceMs ?? 1000) : Number.POSITIVE_INFINITY;
    while (!this.run(slice)) this.options.onProgress?.(this.progress());
    return this.result();
  }

  /** The result so far (after the search stopped, or was interrupted). */
  result(): ExhaustiveCheckResult {
    const { topology, property } = this;
    const search = this.current;
    const bounds = this.stageBounds;
    const stats: SearchStats = search.stats();
    const stages = [...this.done, stageOf(bounds, stats)];
    const total = (f: (s: ExhaustiveStage) => number) => stages.reduce((n, s) => n + f(s), 0);
    const seconds = total((s) => s.seconds);
    const reaching = property.kind === 'sometimes';
    const runs = new Map<string | null, Counterexample>();
    for (const [facet, f] of search.found) runs.set(facet, f.concrete as Counterexample);
    // Over-approximated time only: paths that exist in the abstraction but not in exact time. A facet that
    // met one cannot be proved to hold (a real path may have been merged into the spurious one's states).
    const spurious = [...search.spurious.keys()].filter((f) => !runs.has(f)).map((f) => f ?? property.name);
    const decided = (facet: string | null) => runs.has(facet) || (stats.complete && !search.spurious.has(facet));
    // A complete search without a witness proves it unreachable (within the bounds); random runs only say `not found`.
    const verdictOf = (facet: string | null): Verdict =>
      !decided(facet) ? 'undecided' : reaching ? (runs.has(facet) ? 'reachable' : 'unreachable') : runs.has(facet) ? 'violated' : 'holds';
    const facets = property.facets(topology);
    const label = reaching ? 'witness' : 'counterexample';
    const order = (c: Counterexample) => this.keys.indexOf(c.facet);
    // The same order as random exploration's: fewest client connections, then requests, then steps.
    const simplest = [...runs.values()].sort((a, b) => a.clientConnections - b.clientConnections || a.requests - b.requests || a.steps - b.steps || order(a) - order(b))[0];
    const verdicts = this.keys.map(verdictOf);
    // A bad witness anywhere is reached; a good one must be reached at every facet.
    const anyOrEvery = property.witnessIs === 'bad' ? 'some' : 'every';
    const verdict: Verdict = reaching
      ? verdicts[anyOrEvery]((v) => v === 'reachable')
        ? 'reachable'
        : verdicts.includes('undecided')
          ? 'undecided'
          : 'unreachable'
      : verdicts.includes('violated')
        ? 'violated'
        : verdicts.includes('undecided')
          ? 'undecided'
          : 'holds';
    const facetResults: FacetResult[] = facets.map((f) => ({ facet: f, verdict: verdictOf(f), ...(runs.has(f) ? { [label]: runs.get(f)! } : {}) }));
    return {
      topology: topology.name,
      property: property.name,
      verdict,
      runs: 0,
      seed: 0,
      bounds: { clients: bounds.clients, requests: bounds.requests, maxSteps: stats.depth, scheduleLength: stats.depth, tail: false },
      coverage: {},
      facets: facetResults,
      ...(simplest ? { [label]: simplest } : {}),
      exhaustive: {
        complete: stats.complete,
        depth: stats.depth,
        uniqueStates: total((s) => s.uniqueStates),
        totalStates: total((s) => s.totalStates),
        statesPerSecond: Math.round(total((s) => s.totalStates) / Math.max(seconds, 1e-9)),
        uniqueStatesPerSecond: Math.round(total((s) => s.uniqueStates) / Math.max(seconds, 1e-9)),
        seconds,
        stoppedBy: stats.stoppedBy,
        symmetry: this.options.symmetry,
        clients: bounds.clients,
        requests: bounds.requests,
        stages,
        maxBounds: { ...this.bounds },
        peakRssBytes: stats.peakRssBytes,
        visitedBytes: stats.visitedBytes,
        collisionProbability: stats.collisionProbability,
        undecided: facets.filter((f) => !decided(f)),
        spurious,
        shortest: ![...runs.keys()].some((f) => search.foundAfterSpurious.has(f)),
        timeAbstraction: this.options.time,
        widened: search.widened,
      },
    };
  }
}

function stageOf(bounds: { clients: number; requests: number }, s: SearchStats): ExhaustiveStage {
  return {
    clients: bounds.clients,
    requests: bounds.requests,
    complete: s.complete,
    depth: s.depth,
    uniqueStates: s.uniqueStates,
    totalStates: s.totalStates,
    seconds: s.seconds,
    stoppedBy: s.stoppedBy,
  };
}

/** Concretises a found path and re-runs it with the property's own monitor, in concrete time. */
function counterexampleFor(
  topology: Topology,
  property: Property,
  bounds: { clients: number; requests: number },
  f: Found,
): Counterexample {
  const model = composeSystem(topology, bounds);
  const schedule = concretize(model, f.path);
  const scenario: Scenario = { clients: bounds.clients, requests: bounds.requests, schedule };
  const cx = counterexampleOf(topology, property, f.facet, scenario, Math.max(DEFAULT_MAX_STEPS, f.path.length + 1));
  if (!cx || cx.steps !== f.path.length)
    throw new Error(
      `exhaustive: the ${f.path.length}-step path found for ${property.name}${f.facet ? ` at ${f.facet}` : ''} did not reproduce in concrete time (${cx ? `at step ${cx.steps}` : 'no violation'}); this is a bug in the search`,
    );
  return cx;
}

/**
 * Exhaustive bounded search of one property on one topology: breadth-first
 * over symbolic states, so a violation found is a shortest one (in kernel
 * steps), and a `holds` with `exhaustive.complete` is a proof for every
 * schedule within the bounds on clients and requests.
 */
export function exhaustiveCheck(topology: Topology, property: Property, options: Partial<ExhaustiveOptions> = {}): ExhaustiveCheckResult {
  return new ExhaustiveCheck(topology, property, options).runToEnd();
}
