import type { AnyStateMachine } from 'xstate';

/**
 * A tier machine's states and transitions as plain data, read from the
 * machine definition itself (its state nodes), so the drawings follow the
 * models. Written out by `stateChartToMermaid` and `stateChartToPlantUml`.
 */
export interface StateTransition {
  /** The state it leaves, or null for a transition of the whole machine (taken in every state). */
  source: string | null;
  /** The state it enters, or null when it stays where it is (a targetless transition). */
  target: string | null;
  /** The event, or null for an eventless (`always`) transition. */
  event: string | null;
  /** The guard, written out (`knownDownstream and pinnedUpstreamIdle`), or null. */
  guard: string | null;
  actions: string[];
}

export interface StateChart {
  /** The machine's id (`l7Proxy`). */
  id: string;
  initial: string;
  states: string[];
  /** In document order: state by state, each event's branches in the order XState tries them. */
  transitions: StateTransition[];
}

type Guard = unknown;

/** `'req:'` -> `req:`; several parameters joined by commas. */
const paramsText = (params: unknown): string =>
  params && typeof params === 'object' ? Object.values(params as Record<string, unknown>).map(String).join(', ') : '';

const isCombinator = (g: Guard) => typeof g === 'function' && Array.isArray((g as { guards?: unknown }).guards);

/** XState guards: a name, `{ type, params }`, or a combinator (`and`, `or`, `not`) holding guards. */
export function guardText(guard: Guard): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const g = guard as { name?: string; guards?: Guard[] };
    if (Array.isArray(g.guards)) {
      // Nested combinators keep their grouping: `a and (b or c)`.
      const inner = (x: Guard) => (isCombinator(x) && (x as { guards: Guard[] }).guards.length > 1 ? `(${guardText(x)})` : guardText(x));
      if (g.name === 'not') return `not ${inner(g.guards[0])}`;
      return g.guards.map(inner).join(` ${g.name === 'or' ? 'or' : 'and'} `);
    }
    return g.name || 'inline guard';
  }
  if (guard && typeof guard === 'object' && 'type' in guard) {
    const g = guard as { type: string; params?: unknown };
    const p = paramsText(g.params);
    return p ? `${g.type}(${p})` : g.type;
  }
  return String(guard);
}

export function actionText(action: unknown): string {
  if (typeof action === 'string') return action;
  if (action && typeof action === 'object' && 'type' in action) {
    const a = action as { type: string; params?: unknown };
    const p = paramsText(a.params);
    return p ? `${a.type}(${p})` : a.type;
  }
  if (typeof action === 'function') return action.name || 'inline action';
  return String(action);
}

interface NodeLike {
  id: string;
  key: string;
  states: Record<string, NodeLike>;
  initial?: { target?: NodeLike[] };
  transitions: Map<string, { guard?: Guard; target?: NodeLike[]; actions: unknown[] }[]>;
  always?: { guard?: Guard; target?: NodeLike[]; actions: unknown[] }[];
}

/** Reads a machine's states and transitions from its state nodes (flat machines; nested state names are joined with `_`). */
export function stateChartOf(machine: AnyStateMachine): StateChart {
  return chartAndDefinitions(machine).chart;
}

/**
 * The chart, and beside each of its transitions the XState transition
 * definition it was read from (same index), so that a transition XState
 * takes can be found in the drawing.
 */
export function chartAndDefinitions(machine: AnyStateMachine): { chart: StateChart; definitions: unknown[] } {
  const root = machine.root as unknown as NodeLike;
  const nameOf = (n: NodeLike) => n.id.slice(root.id.length + 1).replace(/\./g, '_');
  const states: string[] = [];
  const transitions: StateTransition[] = [];
  const definitions: unknown[] = [];
  const add = (source: string | null, event: string | null, t: { guard?: Guard; target?: NodeLike[]; actions: unknown[] }) => {
    transitions.push({
      source,
      target: t.target?.[0] ? nameOf(t.target[0]) : null,
      event,
      guard: t.guard === undefined ? null : guardText(t.guard),
      actions: t.actions.map(actionText),
    });
    definitions.push(t);
  };
  const collect = (n: NodeLike, source: string | null) => {
    for (const [event, list] of n.transitions) for (const t of list) add(source, event, t);
    for (const t of n.always ?? []) add(source, null, t);
  };
  const walk = (n: NodeLike) => {
    for (const child of Object.values(n.states)) {
      states.push(nameOf(child));
      collect(child, nameOf(child));
      walk(child);
    }
  };
  collect(root, null);
  walk(root);
  const initial = root.initial?.target?.[0];
  return { chart: { id: root.id, initial: initial ? nameOf(initial) : states[0]!, states, transitions }, definitions };
}
