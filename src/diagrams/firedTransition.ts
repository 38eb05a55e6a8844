import type { AnyStateMachine } from 'xstate';
import type { TierEvent } from '../../models/machines/vocabulary.js';
import { snapshotOf } from '../kernel/machineStep.js';
import type { InstanceState } from '../kernel/state.js';
import { chartAndDefinitions } from './stateChart.js';
import { drawnTransition } from './stateEdges.js';

/** A transition a machine took, as its state diagram draws it. */
export interface FiredTransition {
  /** The state box holding its line (a state, or `inEveryState`), or null when it is an arrow. */
  box: string | null;
  edge: { from: string; to: string } | null;
  /** Its line in the diagram: `REQUEST [knownDownstream and mayOpenUpstream] / routeRequest(new)`. */
  line: string;
}

// Charts are read once per machine: a report asks for one per step.
const charts = new WeakMap<AnyStateMachine, ReturnType<typeof chartAndDefinitions>>();

/**
 * Which of its drawn transitions a machine takes on `event` from `before`
 * (XState picks it: the first whose guard holds), or null when it takes none.
 */
export function firedTransition(machine: AnyStateMachine, before: InstanceState, event: TierEvent): FiredTransition | null {
  const taken = machine.getTransitionData(snapshotOf(machine, before) as never, event as never) as unknown[];
  if (taken.length === 0) return null;
  let read = charts.get(machine);
  if (!read) charts.set(machine, (read = chartAndDefinitions(machine)));
  const { chart, definitions } = read;
  const index = definitions.indexOf(taken[0]);
  return index < 0 ? null : drawnTransition(chart, index);
}
