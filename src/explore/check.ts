import fc from 'fast-check';
import { tierOf } from '../../models/ids.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Property, Verdict, Violation } from './property.js';
import type { TraceEvent } from '../kernel/events.js';
import { DEFAULT_MAX_STEPS, modelFor, prefixUpTo, runScenario } from './run.js';
import { scenarioArbitrary, type Scenario } from './scenarios.js';

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
}

export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  runs: 1000,
  seed: 42,
  scheduleLength: 60,
  maxSteps: DEFAULT_MAX_STEPS,
  maxDelay: 400_000,
};

/** A shrunk failing run: what was explored and the trace up to the violation. */
export interface Counterexample {
  facet: string | null;
  message: string;
  /** Client connections opened in the counterexample. */
  clientConnections: number;
  /** Requests sent by clients in the counterexample. */
  requests: number;
  /** Kernel steps up to and including the violating one. */
  steps: number;
  scenario: Scenario;
  events: TraceEvent[];
  violation: Violation;
  /** How many times fast-check shrank the first failing schedule. */
  shrinks: number;
}

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
  runs: number;
  seed: number;
  /** The bounds explored: the topology's defaults, or the property's own, or the caller's. */
  bounds: { clients: number; requests: number; maxSteps: number; scheduleLength: number };
  /** Per-facet verdicts (for one-to-one: per boundary); empty for unsplit properties. */
  facets: FacetResult[];
  /** The simplest counterexample: fewest client connections, then requests, then pipeline order. */
  counterexample?: Counterexample;
  /** For `sometimes` properties: the simplest witness run found (then the property holds). */
  witness?: Counterexample;
  /**
   * The exploration was stopped before its end (Ctrl-C), after `runs`
   * schedules: a partial result. Facets not finished are `undecided`, and so
   * is the verdict unless a violation was found.
   */
  interrupted?: { runs?: number };
}

function countsOf(topology: Topology, events: readonly TraceEvent[]): { clientConnections: number; requests: number } {
  const client = topology.tiers[0]!.name;
  const conns = new Set<string>();
  const reqs = new Set<string>();
  for (const e of events) {
    if (tierOf(e.at) !== client) continue;
    if (e.type === 'connect' && e.conn) conns.add(e.conn);
    if (e.type === 'send' && e.msg === 'request' && e.req) reqs.add(e.req);
  }
  return { clientConnections: conns.size, requests: reqs.size };
}

/**
 * An exception from the model or kernel during a run (a machine failed, an
 * effect was impossible): a bug, never a property's verdict. Exploration
 * tells it from a violation by this type.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** Re-run a scenario against one facet and cut the trace at its violation. */
export function counterexampleOf(
  topology: Topology,
  property: Property,
  facet: string | null,
  scenario: Scenario,
  maxSteps: number,
  shrinks = 0,
): Counterexample | null {
  const run = runScenario(topology, scenario, [property.monitor(topology, facet)], { maxSteps, stopAtViolation: true });
  const v = run.violations[0];
  if (!v) return null;
  const events = prefixUpTo(run.events, v.step);
  return { facet, message: v.message, ...countsOf(topology, events), steps: v.step, scenario, events, violation: v, shrinks };
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
 * Random exploration of one property on one topology: fast-check generates
 * schedules, and shrinks the first failing one of each facet. For `sometimes`
 * properties the "failing" run is a witness: the property holds when one is found.
 */
export function check(topology: Topology, property: Property, options: Partial<CheckOptions> = {}): CheckResult {
  const plan = planCheck(topology, property, options);
  const found = plan.keys.map((facet) => plan.facetOutcome(facet, fc.check(fc.property(plan.arbitrary, (sc) => plan.holdsAt(facet, sc)), plan.parameters)));
  return plan.result(found);
}

/**
 * `check`, run so that the event loop keeps turning: the same schedules, the
 * same shrinking and the same result (fast-check's async runner draws the
 * same values from the same seed), but it yields every few milliseconds, so a
 * caller can show progress and stop it (`hooks.stopped`). A stopped check
 * returns what it decided so far, marked `interrupted`: facets finished
 * before the stop keep their verdicts, the others are `undecided`.
 */
export async function checkAsync(topology: Topology, property: Property, options: Partial<CheckOptions> = {}, hooks: CheckHooks = {}): Promise<CheckResult> {
  const plan = planCheck(topology, property, options);
  const total = plan.parameters.numRuns * plan.keys.length;
  let done = 0;
  let lastYield = performance.now();
  const stopped = () => hooks.stopped?.() === true;
  const found: FacetFound[] = [];
  for (const facet of plan.keys) {
    if (stopped()) break;
    const details = await fc.check(
      fc.asyncProperty(plan.arbitrary, async (sc) => {
        // Once stopped, every remaining run passes at once: fast-check ends quickly and the facet is dropped below.
        if (stopped()) return true;
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
          if (stopped()) return true;
        }
        const holds = plan.holdsAt(facet, sc);
        hooks.onRun?.(++done, total);
        return holds;
      }),
      plan.parameters,
    );
    if (stopped()) break;
    found.push(plan.facetOutcome(facet, details));
  }
  const result = plan.result(found);
  if (found.length === plan.keys.length) return result;
  return { ...result, interrupted: { runs: done } };
}

interface FacetFound {
  facet: string | null;
  run?: Counterexample;
}

/** What `check` and `checkAsync` share: the bounds, the memoised runs, and turning fast-check's findings into a result. */
function planCheck(topology: Topology, property: Property, options: Partial<CheckOptions>) {
  const given = { ...DEFAULT_CHECK_OPTIONS, ...options };
  // A property may ask for bounds of its own: explicit clients/requests win; step and schedule bounds only grow.
  const pb = property.bounds?.(topology) ?? {};
  const o = {
    ...given,
    maxSteps: Math.max(given.maxSteps, pb.maxSteps ?? 0),
    scheduleLength: Math.max(given.scheduleLength, pb.scheduleLength ?? 0),
  };
  const bounds = {
    clients: o.clients ?? pb.clients ?? topology.bounds.clients,
    requests: o.requests ?? pb.requests ?? topology.bounds.requests,
    scheduleLength: o.scheduleLength,
    maxDelay: o.maxDelay,
  };
  const facets = property.facets(topology);
  const keys: (string | null)[] = facets.length > 0 ? facets : [null];
  // Every facet explores the same schedules (same seed): run each schedule once, for all facets.
  const memo = new Map<string, Set<string | null>>();
  const models = new Map<string, ReturnType<typeof modelFor>>();
  const violatedFacets = (sc: Scenario): Set<string | null> => {
    const key = JSON.stringify(sc);
    let hit = memo.get(key);
    if (!hit) {
      const mk = `${sc.clients}/${sc.requests}`;
      let model = models.get(mk);
      if (!model) models.set(mk, (model = modelFor(topology, sc)));
      const monitors = keys.map((k) => property.monitor(topology, k));
      let run: ReturnType<typeof runScenario>;
      try {
        run = runScenario(topology, sc, monitors, { maxSteps: o.maxSteps, stopAtViolation: false }, model);
      } catch (e) {
        throw e instanceof ModelError ? e : new ModelError(e instanceof Error ? e.message : String(e), { cause: e });
      }
      hit = new Set(keys.filter((_, i) => run.violations[i] !== null));
      memo.set(key, hit);
    }
    return hit;
  };
  // Directed schedules a property may offer (no-reset: a client acting just as an idle timeout fires), run first.
  const examples = (property.examples?.(topology) ?? []).map((sc): [Scenario] => [sc]);
  const reaching = property.kind === 'sometimes';
  const label = reaching ? 'witness' : 'counterexample';
  return {
    keys,
    arbitrary: scenarioArbitrary(bounds),
    parameters: { seed: o.seed, numRuns: o.runs, examples },
    /** A run "finds" something when the monitor reports: a violation, or for `sometimes` a witness. */
    holdsAt: (facet: string | null, sc: Scenario) => !violatedFacets(sc).has(facet),
    facetOutcome(facet: string | null, details: fc.RunDetails<[Scenario]>): FacetFound {
      if (!details.failed || !details.counterexample) return { facet };
      if (details.errorInstance instanceof ModelError)
        throw new ModelError(
          `model error while checking ${property.name} on ${topology.name} (seed ${o.seed}, path ${details.counterexamplePath}): ${details.errorInstance.message}`,
          { cause: details.errorInstance },
        );
      const cx = counterexampleOf(topology, property, facet, details.counterexample[0], o.maxSteps, details.numShrinks);
      // The shrunk schedule failed under fast-check; if it does not fail again, runs are not deterministic.
      if (!cx)
        throw new ModelError(
          `${property.name}${facet ? ` at ${facet}` : ''} on ${topology.name}: the shrunk schedule did not reproduce (seed ${o.seed}); this is a bug in the model or kernel`,
        );
      return { facet, run: cx };
    },
    /** The result from the facets decided (all of them, unless the exploration was stopped). */
    result(found: FacetFound[]): CheckResult {
      const complete = found.length === keys.length;
      const verdictOf = (f: { run?: Counterexample }): Verdict => ((f.run !== undefined) === reaching ? 'holds' : 'violated');
      const order = (f: { facet: string | null }) => keys.indexOf(f.facet);
      const simplest = found
        .filter((f) => f.run)
        .sort((a, b) => a.run!.clientConnections - b.run!.clientConnections || a.run!.requests - b.run!.requests || order(a) - order(b))[0]?.run;
      // Stopped early: a violation found is one; anything else is not decided.
      const verdict: Verdict = reaching
        ? complete && found.every((f) => f.run) ? 'holds' : complete ? 'violated' : 'undecided'
        : found.some((f) => f.run) ? 'violated' : complete ? 'holds' : 'undecided';
      const decided = new Map(found.map((f) => [f.facet, f]));
      return {
        topology: topology.name,
        property: property.name,
        verdict,
        runs: o.runs,
        seed: o.seed,
        bounds: { clients: bounds.clients, requests: bounds.requests, maxSteps: o.maxSteps, scheduleLength: o.scheduleLength },
        facets:
          facets.length > 0
            ? keys.map((k) => {
                const f = decided.get(k);
                if (!f) return { facet: k!, verdict: 'undecided' as Verdict };
                return { facet: k!, verdict: verdictOf(f), ...(f.run ? { [label]: f.run } : {}) };
              })
            : [],
        ...(simplest ? { [label]: simplest } : {}),
      };
    },
  };
}
