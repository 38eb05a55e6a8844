import { composeSystem, type SystemModel } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Monitor, Violation } from './property.js';
import { enabledOccurrences } from '../kernel/occurrences.js';
import { initialState, type SystemState } from '../kernel/state.js';
import { DEFAULT_CHOICE, step, type Choice, type StepResult } from '../kernel/step.js';
import type { TraceEvent } from '../kernel/events.js';
import type { Scenario } from './scenarios.js';
import { TailChooser } from './tail.js';

export interface RunOptions {
  maxSteps: number;
  /** Stop at the first violation of any monitor (the counterexample is the prefix). */
  stopAtViolation: boolean;
  /** Start from this state instead of the initial one (a window of a simulation); `maxSteps` counts from it. */
  start?: SystemState;
  /** Sees every step (coverage reads the transitions each took). */
  onStep?: (result: StepResult) => void;
}

export interface RunOutcome {
  events: TraceEvent[];
  steps: number;
  /** Nothing was left to happen: the run came to rest before the step bound. */
  quiescent: boolean;
  /** One entry per monitor, in order: its first violation (or witness, for `sometimes`) or null. */
  violations: (Violation | null)[];
  final: SystemState;
  /** Each step's choice as it took effect (`StepResult.choice`): written out, they replay the run without its tail. */
  choices: Choice[];
}

export const DEFAULT_MAX_STEPS = 400;

export function modelFor(topology: Topology, scenario: Pick<Scenario, 'clients' | 'requests'>): SystemModel {
  return composeSystem(topology, { clients: scenario.clients, requests: scenario.requests });
}

export function runScenario(
  topology: Topology,
  scenario: Scenario,
  monitors: Monitor[],
  options: RunOptions = { maxSteps: DEFAULT_MAX_STEPS, stopAtViolation: true },
  model: SystemModel = modelFor(topology, scenario),
): RunOutcome {
  let state = options.start ?? initialState(model);
  const events: TraceEvent[] = [];
  const violations: (Violation | null)[] = monitors.map(() => null);
  let open = monitors.length;
  let quiescent = false;
  const choices: Choice[] = [];
  const tail = scenario.tail ? new TailChooser(scenario.tail) : null;
  const tierOf = (o: { at: string }) => model.byId.get(o.at)!.tierIndex;
  for (let i = 0; i < options.maxSteps; i++) {
    const enabled = enabledOccurrences(model, state);
    if (enabled.length === 0) {
      quiescent = true;
      break;
    }
    // The explicit schedule, then the tail's choices (or the default ones).
    const choice = scenario.schedule[i] ?? tail?.choose(i, enabled, tierOf) ?? DEFAULT_CHOICE;
    const r = step(model, state, choice, enabled)!;
    state = r.state;
    choices.push(r.choice);
    options.onStep?.(r);
    for (const e of r.events) {
      events.push(e);
      monitors.forEach((m, k) => {
        if (violations[k] !== null) return;
        const v = m.observe(e);
        if (v) {
          violations[k] = v;
          open -= 1;
        }
      });
    }
    monitors.forEach((m, k) => {
      if (violations[k] !== null || !m.observeState) return;
      const v = m.observeState(state);
      if (v) {
        violations[k] = v;
        open -= 1;
      }
    });
    if (open === 0 && monitors.length > 0) break;
    if (options.stopAtViolation && open < monitors.length) break;
  }
  if (!quiescent) quiescent = enabledOccurrences(model, state).length === 0;
  const last = { step: state.steps, t: state.clock };
  monitors.forEach((m, k) => {
    if (violations[k] === null) violations[k] = m.end(quiescent, last);
  });
  return { events, steps: state.steps, quiescent, violations, final: state, choices };
}

/** The counterexample prefix: every event up to and including the violating step. */
export function prefixUpTo(events: readonly TraceEvent[], step: number): TraceEvent[] {
  return events.filter((e) => e.step <= step);
}
