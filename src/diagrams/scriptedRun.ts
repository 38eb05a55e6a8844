import { tierOf } from '../../models/ids.js';
import type { Topology } from '../../models/topologies/topology.js';
import { modelFor } from '../explore/run.js';
import { enabledOccurrences, type Occurrence } from '../kernel/occurrences.js';
import { initialState } from '../kernel/state.js';
import { step, withoutDefaultTail, type Choice } from '../kernel/step.js';
import type { TraceEvent } from '../kernel/events.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceFile } from '../trace/file.js';

export interface Script {
  clients: number;
  requests: number;
  /**
   * The choice for the next step, given the occurrences enabled now (in the
   * kernel's order) and the events so far. `peek` tells what a choice would
   * do without taking it (steps are pure). Returning DEFAULT_CHOICE runs
   * "the obvious thing next".
   */
  choose(enabled: readonly Occurrence[], events: readonly TraceEvent[], peek: (choice: Choice) => readonly TraceEvent[]): Choice;
  /** Stop once this holds of the events so far (e.g. every request answered). */
  done(events: readonly TraceEvent[]): boolean;
  /** Bound on steps, in case `done` never holds. */
  maxSteps: number;
}

/**
 * Runs a topology under a script, step by step through the kernel, and
 * returns the run as a trace file whose schedule reproduces it: replaying it
 * (`connmodel replay`) gives the same events, byte for byte. Used to draw the
 * seed's hand-made diagrams from the model.
 */
export function scriptedTrace(topology: Topology, script: Script): TraceFile {
  const model = modelFor(topology, script);
  let state = initialState(model);
  const events: TraceEvent[] = [];
  const schedule: Choice[] = [];
  while (state.steps < script.maxSteps && !script.done(events)) {
    const enabled = enabledOccurrences(model, state);
    if (enabled.length === 0) break;
    const now = state;
    const choice = script.choose(enabled, events, (c) => step(model, now, c, enabled)!.events);
    const r = step(model, state, choice, enabled)!;
    state = r.state;
    events.push(...r.events);
    schedule.push(choice);
  }
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    topology,
    property: null,
    facet: null,
    seed: null,
    scenario: { clients: script.clients, requests: script.requests, schedule: withoutDefaultTail(schedule) },
    maxSteps: state.steps,
    stopAtStep: state.steps,
    violation: null,
    events,
  };
}

/** Every client request has its outcome (health checks aside): the clients have nothing left to wait for. */
export function allAnswered(topology: Topology, clients: number, requests: number): (events: readonly TraceEvent[]) => boolean {
  const client = topology.tiers[0]!.name;
  const total = clients * requests;
  return (events) => events.filter((e) => e.type === 'outcome' && tierOf(e.at) === client).length >= total;
}
