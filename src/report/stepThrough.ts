import type { StateValue } from 'xstate';
import type { ConnectionView } from '../../models/machines/descriptor.js';
import { firedTransition } from '../diagrams/firedTransition.js';
import { modelFor } from '../explore/run.js';
import { enabledOccurrences } from '../kernel/occurrences.js';
import { initialState, type InstanceState } from '../kernel/state.js';
import { DEFAULT_CHOICE, step } from '../kernel/step.js';
import { describeEvent } from '../trace/describe.js';
import type { TraceFile } from '../trace/file.js';

/** A tier instance of the run, as the report names it. */
export interface InstanceInfo {
  /** The instance id (`connQueue.1`). */
  id: string;
  /** Its lifeline's label in the sequence diagram (`ConnCtrl 1`). */
  label: string;
  tier: string;
  /** Its machine kind (`connectionLimiter`): which state diagram is its. */
  kind: string;
}

/** An instance at one point of the run: its machine's state and the connections it holds (per its descriptor). */
export interface InstanceView {
  state: string;
  connections: ConnectionView[];
}

export interface StepView {
  step: number;
  t: number;
  /** What happened, one phrase per trace event (a timer that only triggers the step is folded in). */
  lines: string[];
  /** The machine that reacted, the event, and the transition it took as its state diagram draws it. */
  reaction: {
    at: string;
    event: string;
    line: string | null;
    box: string | null;
    edge: { from: string; to: string } | null;
    from: string;
    to: string;
  } | null;
  /** The instances whose view changed at this step (the others are as they were). */
  changed: Record<string, InstanceView>;
}

export interface SteppedTrace {
  instances: InstanceInfo[];
  initial: Record<string, InstanceView>;
  steps: StepView[];
}

/** A state value as one name: `serving`, or `parent.child` for nested states. */
export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([k, v]) => (v && (typeof v === 'string' || Object.keys(v).length > 0) ? `${k}.${stateName(v as StateValue)}` : k))
    .join(', ');
}

/**
 * Re-runs a trace's scenario through the kernel (initialState,
 * enabledOccurrences, step) up to its last step, and describes every step:
 * what happened, which transition fired where, and every instance's state
 * and connections as its machine's descriptor tells them (reports never read
 * a machine's context themselves). Fails if the run no longer gives the
 * trace's events (the trace carries its topology, so it should not).
 */
export function stepThrough(trace: TraceFile): SteppedTrace {
  const model = modelFor(trace.topology, trace.scenario);
  // Named as the sequence diagram names lifelines (`ConnCtrl 1`), numbered wherever a tier runs several copies.
  const copies = new Map<string, number>();
  for (const spec of model.instances) copies.set(spec.tier.name, (copies.get(spec.tier.name) ?? 0) + 1);
  const instances: InstanceInfo[] = model.instances.map((spec) => ({
    id: spec.id,
    label: (copies.get(spec.tier.name) ?? 1) > 1 || spec.copy > 1 ? `${spec.tier.participant} ${spec.copy}` : spec.tier.participant,
    tier: spec.tier.name,
    kind: spec.descriptor.kind,
  }));
  const viewOf = (id: string, s: InstanceState): InstanceView => ({
    state: stateName(s.value as StateValue),
    connections: model.byId.get(id)!.descriptor.describeConnections?.(s.context) ?? [],
  });
  let state = initialState(model);
  const initial: Record<string, InstanceView> = {};
  const shown = new Map<string, string>();
  for (const spec of model.instances) {
    initial[spec.id] = viewOf(spec.id, state.instances[spec.id]!);
    shown.set(spec.id, JSON.stringify(initial[spec.id]));
  }
  const steps: StepView[] = [];
  const events = [];
  for (let i = 0; i < trace.stopAtStep; i++) {
    const enabled = enabledOccurrences(model, state);
    if (enabled.length === 0) break;
    const before = state;
    const r = step(model, state, trace.scenario.schedule[i] ?? DEFAULT_CHOICE, enabled)!;
    state = r.state;
    events.push(...r.events);
    const changed: Record<string, InstanceView> = {};
    for (const spec of model.instances) {
      if (state.instances[spec.id] === before.instances[spec.id]) continue;
      const view = viewOf(spec.id, state.instances[spec.id]!);
      const key = JSON.stringify(view);
      if (shown.get(spec.id) === key) continue;
      shown.set(spec.id, key);
      changed[spec.id] = view;
    }
    let reaction: StepView['reaction'] = null;
    if (r.reaction) {
      const { at, event } = r.reaction;
      const fired = firedTransition(model.byId.get(at)!.machine, before.instances[at]!, event);
      reaction = {
        at,
        event: event.type,
        line: fired?.line ?? null,
        box: fired?.box ?? null,
        edge: fired?.edge ?? null,
        from: stateName(before.instances[at]!.value as StateValue),
        to: stateName(state.instances[at]!.value as StateValue),
      };
    }
    const lines = r.events.filter((e) => e.type !== 'timer' || r.events.length === 1).map(describeEvent);
    steps.push({ step: state.steps, t: state.clock, lines, reaction, changed });
  }
  if (JSON.stringify(events) !== JSON.stringify(trace.events))
    throw new Error(`the trace of ${trace.property ?? 'a run'} on ${trace.topology.name} no longer replays (connmodel replay says where it differs)`);
  return { instances, initial, steps };
}
