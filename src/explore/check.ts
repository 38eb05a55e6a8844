import fc from 'fast-check';
import type { SystemModel } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import { initialState } from '../kernel/state.js';
import { counterexampleOf, type Counterexample } from './counterexample.js';
import { CoverageCollector, type Exercised } from './coverage.js';
import { boundsFor, smallestBoundsSteps, type ExploredBounds } from './bounds.js';
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
  /**
   * The exploration was stopped before its end (Ctrl-C), after `runs`
   * schedules: a partial result. Facets not finished are `undecided`, and so
   * is the verdict unless a finding was made.
   */
  interrupted?: { runs?: number };
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

/** What a caller of `checkAsync` may watch and stop. */
export interface CheckHooks {
  /** Called after each schedule run, with the number run so far for this property and the most it will run. */
  onRun?(done: number, total: number): void;
  /** Polled between runs: true stops exploring (Ctrl-C); the result is then marked `interrupted`. */
  stopped?(): boolean;
}

/** How long a run of schedules may hold the event loop before `checkAsync` yields (so signals are seen). */
const YIELD_EVERY_MS = 25;

/**
 * Random exploration of one property on one topology. For each facet:
 * fast-check generates schedules (each going on with seeded random choices
 * after its explicit part) until one finds something; then the smaller
 * bounds are tried (fewer client connections, then fewer
 * requests) and the smallest find is simplified choice by choice, so the
 * counterexample reported is the simplest found: fewest client connections,
 * then requests, then steps. For `sometimes` properties the find is a witness.
 */
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
  const plan = planCheck(topology, property, options);
  if (plan.skipped) return plan.skipped;
  const found = plan.keys.map((facet) => {
    const steps = plan.facetSteps(facet, () => false);
    let next = steps.next();
    while (!next.done) {
      const q = next.value;
      next = steps.next(plan.outcome(q, fc.check(fc.property(plan.arbitrary(q), plan.predicate(q)), plan.parameters(q))));
    }
    return next.value;
  });
  return plan.result(found);
}

/**
 * `check`, run so that the event loop keeps turning: the same schedules, the
 * same minimising and the same result (fast-check's async runner draws the
 * same values from the same seed), but it yields every few milliseconds, so a
 * caller can show progress and stop it (`hooks.stopped`). A stopped check
 * returns what it decided so far, marked `interrupted`: facets finished
 * before the stop keep their verdicts, the others are `undecided`; a find
 * made before the stop is kept, minimised only as far as it got.
 */
export async function checkAsync(topology: Topology, property: Property, options: Partial<CheckOptions> = {}, hooks: CheckHooks = {}): Promise<CheckResult> {
  const plan = planCheck(topology, property, options);
  if (plan.skipped) return plan.skipped;
  const perFacet = plan.runs;
  const total = perFacet * plan.keys.length;
  let ran = 0;
  let lastYield = performance.now();
  const stopped = () => hooks.stopped?.() === true;
  const found: FacetFound[] = [];
  for (const [i, facet] of plan.keys.entries()) {
    if (stopped()) break;
    const steps = plan.facetSteps(facet, stopped);
    let next = steps.next();
    let dropped = false;
    while (!next.done) {
      const q = next.value;
      const predicate = plan.predicate(q);
      let inFacet = 0;
      const details = await fc.check(
        fc.asyncProperty(plan.arbitrary(q), async (sc) => {
          // Once stopped, every remaining run passes at once: fast-check ends quickly.
          if (stopped()) return true;
          if (performance.now() - lastYield > YIELD_EVERY_MS) {
            await new Promise((resolve) => setImmediate(resolve));
            lastYield = performance.now();
            if (stopped()) return true;
          }
          const holds = predicate(sc);
          // Progress counts the facets' own searches, not the smaller bounds tried while minimising.
          if (q.main) {
            ran++;
            hooks.onRun?.(i * perFacet + ++inFacet, total);
          }
          return holds;
        }),
        plan.parameters(q),
      );
      const outcome = plan.outcome(q, details);
      // Stopped in the facet's own search before it found anything: the facet is not decided.
      if (q.main && outcome === null && stopped()) {
        dropped = true;
        break;
      }
      next = steps.next(outcome);
    }
    if (dropped || next.done !== true) break;
    found.push(next.value);
    if (stopped()) break;
  }
  const result = plan.result(found);
  // Every facet decided, none of its minimising cut short by a stop: the whole result.
  if (found.length === plan.keys.length && !stopped()) return result;
  return { ...result, interrupted: { runs: ran } };
}

/** One search a check makes: schedules within `bounds` at `facet`, at most `runs`, ended by the first find. */
interface SearchRequest {
  facet: string | null;
  bounds: ScenarioBounds;
  runs: number;
  /** The facet's own search (what progress counts), not a smaller bound tried while minimising. */
  main: boolean;
}

/** What a search found: the first find written out, and how many schedules it took; null when none did. */
type Found = { cx: Counterexample; after: number } | null;

interface FacetFound {
  facet: string | null;
  run?: Counterexample;
  /** Schedules explored until the first find. */
  after?: number;
}

/**
 * What `check` and `checkAsync` share: the bounds, the memoised runs, the
 * searches each facet makes (a generator that yields each search and is given
 * back what it found, so either driver can run them), and turning the facets'
 * finds into a result.
 */
function planCheck(topology: Topology, property: Property, options: Partial<CheckOptions>) {
  const o = { ...DEFAULT_CHECK_OPTIONS, ...options };
  const { bounds, note } = boundsFor(topology, property.bounds?.(topology) ?? {}, o);
  const skipped = notApplicableResult(topology, property, bounds, o.seed);
  const facets = property.facets(topology).filter((f) => o.facets === undefined || o.facets.includes(f));
  const keys: (string | null)[] = facets.length > 0 ? facets : [null];
  const x = new Exploration(topology, property, keys, bounds.maxSteps);
  const scenarioBounds: ScenarioBounds = { clients: bounds.clients, requests: bounds.requests, scheduleLength: bounds.scheduleLength, maxDelay: o.maxDelay, tail: o.tail };
  // Directed schedules a property may offer (no-reset: a client acting just as an idle timeout fires), run first.
  const examples = property.examples?.(topology) ?? [];
  const attempt = (facet: string | null) => (sc: Scenario) => counterexampleOf(topology, property, facet, sc, bounds.maxSteps);
  const minimizeRuns = Math.min(o.minimizeRuns, o.runs);

  /**
   * The searches of one facet: the first schedule within the bounds that
   * finds something, written out (fast-check does not shrink it: the smaller
   * bounds and `simplifySchedule` do better, for less); then, unless told
   * not to or stopped, the smallest bounds that still find and the simplest
   * choices.
   */
  function* facetSteps(facet: string | null, stopped: () => boolean): Generator<SearchRequest, FacetFound, Found> {
    const first = yield { facet, bounds: scenarioBounds, runs: o.runs, main: true };
    if (!first) return { facet };
    if (o.minimize === false || stopped()) return { facet, run: first.cx, after: first.after };
    const ladder = smallestBoundsSteps(first.cx, bounds.requests);
    let next = ladder.next();
    while (!next.done) {
      const [c, r] = next.value;
      const f = yield { facet, bounds: { ...scenarioBounds, clients: c, minClients: c, requests: r, minRequests: r }, runs: minimizeRuns, main: false };
      next = ladder.next(f?.cx ?? null);
    }
    const smallest = next.value;
    if (stopped()) return { facet, run: smallest, after: first.after };
    return { facet, run: simplifySchedule(smallest, attempt(facet), (sc) => modelFor(topology, sc)), after: first.after };
  }

  const label = runLabel(property);
  const reaching = property.kind === 'sometimes';
  return {
    skipped,
    keys,
    runs: o.runs,
    facetSteps,
    arbitrary: (q: SearchRequest) => scenarioArbitrary(q.bounds),
    /** A run "finds" something when the monitor reports: a violation, or for `sometimes` a witness. */
    predicate: (q: SearchRequest) => (sc: Scenario) => !x.found(sc).has(q.facet),
    parameters(q: SearchRequest) {
      const b = q.bounds;
      const fits = examples.filter((sc) => sc.clients >= (b.minClients ?? 1) && sc.clients <= b.clients && sc.requests >= (b.minRequests ?? 1) && sc.requests <= b.requests);
      return { seed: o.seed, numRuns: q.runs, examples: fits.map((sc): [Scenario] => [sc]), endOnFailure: true };
    },
    outcome(q: SearchRequest, details: fc.RunDetails<[Scenario]>): Found {
      if (!details.failed || !details.counterexample) return null;
      if (details.errorInstance instanceof ModelError)
        throw new ModelError(
          `model error while checking ${property.name} on ${topology.name} (seed ${o.seed}, path ${details.counterexamplePath}): ${details.errorInstance.message}`,
          { cause: details.errorInstance },
        );
      const cx = counterexampleOf(topology, property, q.facet, details.counterexample[0], bounds.maxSteps);
      // The schedule failed under fast-check; if it does not fail again, runs are not deterministic.
      if (!cx)
        throw new ModelError(
          `${property.name}${q.facet ? ` at ${q.facet}` : ''} on ${topology.name}: a failing schedule did not reproduce (seed ${o.seed}); this is a bug in the model or kernel`,
        );
      return { cx, after: details.numRuns };
    },
    /** The result from the facets decided (all of them, unless the exploration was stopped). */
    result(found: FacetFound[]): CheckResult {
      const complete = found.length === keys.length;
      const hit = (f: { run?: Counterexample }) => f.run !== undefined;
      const facetVerdict = (f: { run?: Counterexample }): Verdict => (reaching ? (hit(f) ? 'reachable' : 'not found') : hit(f) ? 'violated' : 'holds');
      // A finding made before a stop is one; otherwise a stopped check decided nothing. A bad witness anywhere
      // is reached; a good one must be reached at every facet (one facet without it decides `not found`).
      const verdict: Verdict = !reaching
        ? found.some(hit) ? 'violated' : complete ? 'holds' : 'undecided'
        : property.witnessIs === 'bad'
          ? found.some(hit) ? 'reachable' : complete ? 'not found' : 'undecided'
          : found.some((f) => !hit(f)) ? 'not found' : complete ? 'reachable' : 'undecided';
      const order = (f: { facet: string | null }) => keys.indexOf(f.facet);
      const simplest = found
        .filter(hit)
        .sort((a, b) => compareSimplicity(a.run!, b.run!) || order(a) - order(b))[0];
      const firstFoundAt = Math.min(...found.flatMap((f) => (f.after === undefined ? [] : [f.after])));
      const decided = new Map(found.map((f) => [f.facet, f]));
      return {
        topology: topology.name,
        property: property.name,
        seed: o.seed,
        bounds,
        ...(note ? { boundsNote: note } : {}),
        verdict,
        runs: o.runs,
        facets:
          facets.length > 0
            ? keys.map((k) => {
                const f = decided.get(k);
                if (!f) return { facet: k!, verdict: 'undecided' as Verdict };
                return { facet: k!, verdict: facetVerdict(f), ...(f.run ? { [label]: f.run } : {}) };
              })
            : [],
        ...(simplest ? { [label]: simplest.run } : {}),
        ...(Number.isFinite(firstFoundAt) ? { firstFoundAt } : {}),
        coverage: x.coverage.exercised(),
      };
    },
  };
}
