import { composeSystem } from '../../../models/system.js';
import type { Topology } from '../../../models/topologies/topology.js';
import type { Property, Verdict } from '../../../properties/property.js';
import { counterexampleOf, type CheckResult, type Counterexample, type FacetResult } from '../check.js';
import { DEFAULT_MAX_STEPS, type Scenario } from '../run.js';
import { concretize } from './concretize.js';
import { Search, type Found, type SearchStats, type StopReason } from './search.js';

export { NotExhaustible } from './search.js';
export type { SearchStats, StopReason } from './search.js';

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
  /** Time: `exact` zones (default: sound and complete) or `hull` (over-approximate, scales further). See docs/exhaustive.md. */
  time: 'exact' | 'hull';
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
  time: 'exact',
};

export interface ExhaustiveProgress {
  totalStates: number;
  uniqueStates: number;
  depth: number;
  seconds: number;
  rssBytes: number;
}

/** What `--json` reports under `"exhaustive"`, and a little more. */
export interface ExhaustiveStats {
  /** Every reachable state (within the bounds on clients and requests) was explored: a `holds` is a proof. */
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
  clients: number;
  requests: number;
  peakRssBytes: number;
  /** Bytes of the visited set and path columns (16 bytes per state plus 8 for the path back). */
  visitedBytes: number;
  /** Chance that two distinct states share a 64-bit fingerprint, so one went unexplored. */
  collisionProbability: number;
  /** Facets whose verdict the search did not reach (stopped first). */
  undecided: string[];
  /** hull mode: facets whose found path was infeasible in exact time (their verdict is unknown). */
  spurious: string[];
  timeAbstraction: 'exact' | 'hull';
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

/** A search, ready to run (in slices, for the command line) and to turn into a result. */
export class ExhaustiveCheck {
  readonly search: Search;
  readonly options: ExhaustiveOptions;
  readonly bounds: { clients: number; requests: number };
  private readonly keys: (string | null)[];

  constructor(
    readonly topology: Topology,
    readonly property: Property,
    options: Partial<ExhaustiveOptions> = {},
  ) {
    this.options = { ...DEFAULT_EXHAUSTIVE_OPTIONS, ...options };
    this.bounds = exhaustiveBounds(topology, property, options);
    const model = composeSystem(topology, this.bounds);
    const facets = property.facets(topology);
    this.keys = facets.length > 0 ? facets : [null];
    this.search = new Search(model, property, this.keys, {
      depth: this.options.depth,
      maxStates: this.options.maxStates,
      symmetry: this.options.symmetry,
      stopAtFirst: this.options.stopAtFirst,
      time: this.options.time,
    });
  }

  progress(): ExhaustiveProgress {
    const s = this.search;
    return { totalStates: s.totalStates, uniqueStates: s.uniqueStates, depth: s.depth, seconds: s.seconds, rssBytes: process.memoryUsage.rss() };
  }

  /** Runs to the end, synchronously. */
  runToEnd(): ExhaustiveCheckResult {
    const slice = this.options.onProgress ? (this.options.sliceMs ?? 1000) : Number.POSITIVE_INFINITY;
    while (!this.search.run(slice)) this.options.onProgress?.(this.progress());
    return this.result();
  }

  /** The result so far (after the search stopped, or was interrupted). */
  result(): ExhaustiveCheckResult {
    const { topology, property, bounds } = this;
    const stats: SearchStats = this.search.stats();
    const cxOf = (f: Found): Counterexample => counterexampleFor(topology, property, bounds, f);
    const reaching = property.kind === 'sometimes';
    const runs = new Map<string | null, Counterexample>();
    const spurious: string[] = [];
    for (const [facet, f] of this.search.found) {
      try {
        runs.set(facet, cxOf(f));
      } catch (e) {
        // hull mode only: the path exists in the over-approximation but not in exact time
        if (this.options.time !== 'hull') throw e;
        spurious.push(facet ?? property.name);
      }
    }
    const verdictOf = (facet: string | null): Verdict => ((runs.has(facet) === reaching ? 'holds' : 'violated'));
    const decided = (facet: string | null) => runs.has(facet) || (stats.complete && !spurious.includes(facet ?? property.name));
    const facets = property.facets(topology);
    const label = reaching ? 'witness' : 'counterexample';
    const order = (c: Counterexample) => this.keys.indexOf(c.facet);
    const simplest = [...runs.values()].sort((a, b) => a.steps - b.steps || a.clientConnections - b.clientConnections || a.requests - b.requests || order(a) - order(b))[0];
    const verdict: Verdict = reaching ? (this.keys.every((k) => runs.has(k)) ? 'holds' : 'violated') : runs.size > 0 ? 'violated' : 'holds';
    const facetResults: FacetResult[] = facets.map((f) => ({ facet: f, verdict: verdictOf(f), ...(runs.has(f) ? { [label]: runs.get(f)! } : {}) }));
    return {
      topology: topology.name,
      property: property.name,
      verdict,
      runs: 0,
      seed: 0,
      bounds: { clients: bounds.clients, requests: bounds.requests, maxSteps: stats.depth, scheduleLength: stats.depth },
      facets: facetResults,
      ...(simplest ? { [label]: simplest } : {}),
      exhaustive: {
        complete: stats.complete,
        depth: stats.depth,
        uniqueStates: stats.uniqueStates,
        totalStates: stats.totalStates,
        statesPerSecond: Math.round(stats.totalStates / Math.max(stats.seconds, 1e-9)),
        uniqueStatesPerSecond: Math.round(stats.uniqueStates / Math.max(stats.seconds, 1e-9)),
        seconds: stats.seconds,
        stoppedBy: stats.stoppedBy,
        symmetry: this.options.symmetry,
        clients: bounds.clients,
        requests: bounds.requests,
        peakRssBytes: stats.peakRssBytes,
        visitedBytes: stats.visitedBytes,
        collisionProbability: stats.collisionProbability,
        undecided: facets.filter((f) => !decided(f)),
        spurious,
        timeAbstraction: this.options.time,
        widened: this.search.widened,
      },
    };
  }
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
