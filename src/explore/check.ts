import fc from 'fast-check';
import type { SystemModel } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import { initialState } from '../kernel/state.js';
import { counterexampleOf, type Counterexample } from './counterexample.js';
import { CoverageCollector, type Exercised } from './coverage.js';
import { boundsFor, smallestBounds, type ExploredBounds } from './bounds.js';
import { compareSimplicity, simplifySchedule } from './minimize.js';
import type { Property, Verdict } from './property.js';
import { DEFAULT_MAX_STEPS, modelFor, runScenario } from './run.js';
import { scenarioArbitrary, type Scenario, type ScenarioBounds } from './scenarios.js';
import { applicabilityOf, runLabel } from './verdict.js';

export { counterexampleOf, type Counterexample } from './counterexample.js';
export type { ExploredBounds } from './bounds.js';

export interface CheckOptions {
  /** Schedules explored per facet. */
  runs: number;
  /** fast-check seed: the same seed explores the same schedules. */
  seed: number;
  /** Most client connections (default: the topology's bound). */
  clients?: number;
  /** Most requests per client (default: the topology's bound). */
  requests?: number;
  scheduleLength: number;
  maxSteps: number;
  maxDelay: number;
  /** Schedules tried at each smaller bound when minimizing a counterexample (at most `runs`). */
  minimizeRuns: number;
  /** Runs go on after their schedule with seeded random choices (`tail.ts`); false: with default choices only. */
  tail: boolean;
  /** Check only these facets of a property split into facets (default: all). */
  facets?: readonly string[];
  /** Make each find the simplest (smaller bounds, simpler choices; default true); false: report the first find as it is. */
  minimize?: boolean;
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  runs: 1000,
  seed: 42,
  scheduleLength: 60,
  maxSteps: DEFAULT_MAX_STEPS,
  maxDelay: 400_000,
  minimizeRuns: 100,
  tail: true,
};

export interface FacetResult {
  facet: string;
  verdict: Verdict;
  counterexample?: Counterexample;
  witness?: Counterexample;
}

export interface CheckResult {
  topology: string;
  property: string;
  verdict: Verdict;
  /** Schedules explored per facet (0 when not applicable). */
  runs: number;
  seed: number;
  /** The bounds explored: the topology's defaults, or the property's own, or the caller's. */
  bounds: ExploredBounds;
  /** `not applicable`: why the property says nothing about this topology. */
  reason?: string;
  /** Set when the caller's bounds are below what the property asks for: what a `holds` here cannot speak for. */
  boundsNote?: string;
  /** Per-facet verdicts (for one-to-one: per boundary); empty for unsplit properties. */
  facets: FacetResult[];
  /** The simplest counterexample: fewest client connections, then requests, then steps, then pipeline order. */
  counterexample?: Counterexample;
  /** For `sometimes` properties: the simplest witness run found. */
  witness?: Counterexample;
  /** Schedules explored until the first that found something (before minimizing): what benchmarks compare. */
  firstFoundAt?: number;
  /** The machine states and transitions the exploration exercised, per machine kind. */
  coverage: Exercised;
}

/**
 * An exception from the model or kernel during a run (a machine failed, an
 * effect was impossible): a bug, never a property's verdict. Exploration
 * tells it from a violation by this type.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** The result of a property that does not apply to the topology (`Property.applies`), or null when it applies: nothing is run. */
export function notApplicableResult(topology: Topology, property: Property, bounds: ExploredBounds, seed: number): CheckResult | null {
  const a = applicabilityOf(property, topology);
  if (a.applies) return null;
  return { topology: topology.name, property: property.name, verdict: 'not applicable', runs: 0, seed, bounds, reason: a.reason, facets: [], coverage: {} };
}

/** Runs schedules against every facet's monitor at once, each schedule once (memoised), collecting coverage. */
class Exploration {
  private readonly memo = new Map<string, Set<string | null>>();
  private readonly models = new Map<string, SystemModel>();
  readonly coverage = new CoverageCollector();
  constructor(
    private readonly topology: Topology,
    private readonly property: Property,
    private readonly keys: readonly (string | null)[],
    private readonly maxSteps: number,
  ) {}

  /** The facets a schedule finds something at (a violation, or a witness). */
  found(sc: Scenario): Set<string | null> {
    const key = JSON.stringify(sc);
    const hit = this.memo.get(key);
    if (hit) return hit;
    const mk = `${sc.clients}/${sc.requests}`;
    let model = this.models.get(mk);
    if (!model) {
      this.models.set(mk, (model = modelFor(this.topology, sc)));
      this.coverage.start(model, initialState(model));
    }
    const m = model;
    const monitors = this.keys.map((k) => this.property.monitor(this.topology, k));
    let run: ReturnType<typeof runScenario>;
    try {
      run = runScenario(this.topology, sc, monitors, { maxSteps: this.maxSteps, stopAtViolation: false, onStep: (r) => this.coverage.step(m, r) }, m);
    } catch (e) {
      throw e instanceof ModelError ? e : new ModelError(e instanceof Error ? e.message : String(e), { cause: e });
    }
    const found = new Set(this.keys.filter((_, i) => run.violations[i] !== null));
    this.memo.set(key, found);
    return found;
  }
}

/**
 * Random exploration of one property on one topology. For each facet:
 * fast-check generates schedules (each going on with seeded random choices
 * after its explicit part) until one finds something; then the smaller
 * bounds are tried (fewer client connections, then fewer
 * requests) and the smallest find is simplified choice by choice, so the
 * counterexample reported is the simplest found: fewest client connections,
 * then requests, then steps. For `sometimes` properties the find is a witness.
 */
export function check(topology: Topology, property: Property, options: Partial<CheckOptions> = {}): CheckResult {
  const o = { ...DEFAULT_CHECK_OPTIONS, ...options };
  const { bounds, note } = boundsFor(topology, property.bounds?.(topology) ?? {}, o);
  const skipped = notApplicableResult(topology, property, bounds, o.seed);
  if (skipped) return skipped;
  const base = { topology: topology.name, property: property.name, seed: o.seed, bounds, ...(note ? { boundsNote: note } : {}) };

  const facets = property.facets(topology).filter((f) => o.facets === undefined || o.facets.includes(f));
  const keys: (string | null)[] = facets.length > 0 ? facets : [null];
  const x = new Exploration(topology, property, keys, bounds.maxSteps);
  const scenarioBounds: ScenarioBounds = { clients: bounds.clients, requests: bounds.requests, scheduleLength: bounds.scheduleLength, maxDelay: o.maxDelay, tail: o.tail };
  // Directed schedules a property may offer (no-reset: a client acting just as an idle timeout fires), run first.
  const examples = property.examples?.(topology) ?? [];
  const attempt = (facet: string | null) => (sc: Scenario) => counterexampleOf(topology, property, facet, sc, bounds.maxSteps);

  /**
   * The first schedule within `b` that finds something at `facet`, written
   * out; null when none does in `runs`. fast-check does not shrink it: the
   * smaller bounds and `simplifySchedule` below do better, for less.
   */
  const search = (facet: string | null, b: ScenarioBounds, runs: number): { cx: Counterexample; after: number } | null => {
    const fits = examples.filter((sc) => sc.clients >= (b.minClients ?? 1) && sc.clients <= b.clients && sc.requests >= (b.minRequests ?? 1) && sc.requests <= b.requests);
    const details = fc.check(
      fc.property(scenarioArbitrary(b), (sc) => !x.found(sc).has(facet)),
      { seed: o.seed, numRuns: runs, examples: fits.map((sc): [Scenario] => [sc]), endOnFailure: true },
    );
    if (!details.failed || !details.counterexample) return null;
    if (details.errorInstance instanceof ModelError)
      throw new ModelError(
        `model error while checking ${property.name} on ${topology.name} (seed ${o.seed}, path ${details.counterexamplePath}): ${details.errorInstance.message}`,
        { cause: details.errorInstance },
      );
    const cx = counterexampleOf(topology, property, facet, details.counterexample[0], bounds.maxSteps);
    // The schedule failed under fast-check; if it does not fail again, runs are not deterministic.
    if (!cx)
      throw new ModelError(
        `${property.name}${facet ? ` at ${facet}` : ''} on ${topology.name}: a failing schedule did not reproduce (seed ${o.seed}); this is a bug in the model or kernel`,
      );
    return { cx, after: details.numRuns };
  };

  const runs = Math.min(o.minimizeRuns, o.runs);
  const stage = (facet: string | null) => (c: number, r: number) =>
    search(facet, { ...scenarioBounds, clients: c, minClients: c, requests: r, minRequests: r }, runs)?.cx ?? null;

  const found: { facet: string | null; run?: Counterexample; after?: number }[] = [];
  for (const facet of keys) {
    const first = search(facet, scenarioBounds, o.runs);
    if (!first) {
      found.push({ facet });
      continue;
    }
    if (o.minimize === false) {
      found.push({ facet, run: first.cx, after: first.after });
      continue;
    }
    const smallest = smallestBounds(first.cx, bounds.requests, stage(facet));
    found.push({ facet, run: simplifySchedule(smallest, attempt(facet), (sc) => modelFor(topology, sc)), after: first.after });
  }

  const label = runLabel(property);
  const reaching = property.kind === 'sometimes';
  const hit = (f: { run?: Counterexample }) => f.run !== undefined;
  const facetVerdict = (f: { run?: Counterexample }): Verdict => (reaching ? (hit(f) ? 'reachable' : 'not found') : hit(f) ? 'violated' : 'holds');
  // A bad witness anywhere is reached; a good one must be reached at every facet.
  const verdict: Verdict = reaching
    ? (property.witnessIs === 'bad' ? found.some(hit) : found.every(hit))
      ? 'reachable'
      : 'not found'
    : found.some(hit)
      ? 'violated'
      : 'holds';
  const order = (f: { facet: string | null }) => keys.indexOf(f.facet);
  const simplest = found
    .filter(hit)
    .sort((a, b) => compareSimplicity(a.run!, b.run!) || order(a) - order(b))[0];
  const firstFoundAt = Math.min(...found.flatMap((f) => (f.after === undefined ? [] : [f.after])));
  return {
    ...base,
    verdict,
    runs: o.runs,
    facets: facets.length > 0 ? found.map((f) => ({ facet: f.facet!, verdict: facetVerdict(f), ...(f.run ? { [label]: f.run } : {}) })) : [],
    ...(simplest ? { [label]: simplest.run } : {}),
    ...(Number.isFinite(firstFoundAt) ? { firstFoundAt } : {}),
    coverage: x.coverage.exercised(),
  };
}
