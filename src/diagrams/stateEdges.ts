import type { StateChart, StateTransition } from './stateChart.js';

/**
 * A state diagram laid out as UML draws one, notation-free. Most tier
 * machines are one state with many guarded targetless transitions; as
 * arrows they would be a knot of self-loops (Mermaid even draws their labels
 * over each other). UML has a place for them: the state's internal
 * transitions compartment, one `EVENT [guard] / actions` line each, in the
 * order XState tries them. Transitions that change state are arrows, one
 * per pair of states, labelled `EVENT [guard]` per transition (their actions
 * would make the labels too long to read; the guard already says which case
 * it is). Transitions of the whole machine (taken in every state) are
 * listed in a dashed box of their own, "in every state", like a state's.
 */
export interface StateEdge {
  from: string;
  to: string;
  lines: string[];
}

export interface StateBox {
  name: string;
  /** Internal transitions: `EVENT [guard] / actions`. */
  internal: string[];
}

/** The id of the "in every state" box, chosen not to clash with a machine's state names. */
export const EVERY_STATE_ID = 'inEveryState';
export const EVERY_STATE_LABEL = 'in every state';

export interface StateDrawing {
  initial: string;
  states: StateBox[];
  edges: StateEdge[];
  /** Transitions of the whole machine, for the "in every state" box; empty when it has none. */
  everyState: string[];
}

/** `EVENT [guard]`, `[guard]` for an eventless transition. */
const trigger = (t: StateTransition) => [t.event ?? '', t.guard ? `[${t.guard}]` : ''].filter((s) => s).join(' ') || '(always)';

/** One transition on one line: `EVENT [guard] / a, b`. */
export function transitionLine(t: StateTransition): string {
  return t.actions.length > 0 ? `${trigger(t)} / ${t.actions.join(', ')}` : trigger(t);
}

/**
 * XState tries an event's transitions in order and takes the first whose
 * guard holds; an unguarded one after guarded ones is the fallback: say so.
 */
function withElse(transitions: readonly StateTransition[]): StateTransition[] {
  return transitions.map((t, i) =>
    t.guard === null && transitions.slice(0, i).some((u) => u.source === t.source && u.event === t.event) ? { ...t, guard: 'else' } : t,
  );
}

/**
 * Where the chart's transition number `index` is in its drawing: the box
 * whose line it is (a state, or the "in every state" box) and that line, or
 * the arrow between two states whose label has it.
 */
export function drawnTransition(machineChart: StateChart, index: number): { box: string | null; edge: { from: string; to: string } | null; line: string } | null {
  const t = withElse(machineChart.transitions)[index];
  if (!t) return null;
  if (t.source === null) return { box: EVERY_STATE_ID, edge: null, line: transitionLine(t) };
  if (t.target === null || t.target === t.source) return { box: t.source, edge: null, line: transitionLine(t) };
  return { box: null, edge: { from: t.source, to: t.target }, line: trigger(t) };
}

export function stateDrawing(machineChart: StateChart): StateDrawing {
  const chart = { ...machineChart, transitions: withElse(machineChart.transitions) };
  const stays = (t: StateTransition) => t.target === null || t.target === t.source;
  const states = chart.states.map((name) => ({
    name,
    internal: chart.transitions.filter((t) => t.source === name && stays(t)).map(transitionLine),
  }));
  const edges: StateEdge[] = [];
  for (const t of chart.transitions) {
    if (t.source === null || stays(t)) continue;
    const same = edges.find((e) => e.from === t.source && e.to === t.target);
    if (same) same.lines.push(trigger(t));
    else edges.push({ from: t.source, to: t.target!, lines: [trigger(t)] });
  }
  const everyState = chart.transitions.filter((t) => t.source === null).map(transitionLine);
  return { initial: chart.initial, states, edges, everyState };
}
