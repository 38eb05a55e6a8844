import { toDirectedGraph, type DirectedGraphNode } from '@xstate/graph';
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, StateValue } from 'xstate';

/**
 * A machine definition's states and transitions, enumerated with
 * `@xstate/graph` (plus the eventless `always` transitions, which its graph
 * leaves out), each with a readable id: what coverage counts against.
 *
 * A state's id is its path (`awaiting`); a transition's is its source, event
 * and guard (`awaiting RESPONSE [and(answersOutstanding, ...)] → connected`);
 * `(any state)` is a transition of the machine's root, taken in every state.
 */
export interface MachineGraph {
  states: string[];
  transitions: string[];
  /** The id of each transition object of the definition (the objects XState reports when it takes one). */
  idOf: ReadonlyMap<AnyTransitionDefinition, string>;
}

const pathOf = (node: AnyStateNode) => node.path.join('.');

type GuardLike = string | { type: string; params?: unknown } | ((...args: never[]) => unknown) | undefined;

/** A guard as the machine's source writes it: `timerIs('req:')`, `and(knownDownstream, idleUpstreamAvailable)`. */
function guardText(g: GuardLike): string {
  if (g === undefined) return '';
  if (typeof g === 'string') return g;
  if (typeof g === 'function') {
    const inner = (g as { guards?: GuardLike[] }).guards;
    return inner ? `${g.name}(${inner.map(guardText).join(', ')})` : g.name || 'inline guard';
  }
  const params = g.params && typeof g.params === 'object' ? Object.values(g.params).map((v) => JSON.stringify(v).replaceAll('"', "'")) : [];
  return params.length > 0 ? `${g.type}(${params.join(', ')})` : g.type;
}

function transitionText(t: AnyTransitionDefinition, alternatives: number): string {
  const source = pathOf(t.source) || '(any state)';
  // An unguarded candidate after guarded ones is taken when none of them is: `[else]`.
  const guard = guardText(t.guard as GuardLike) || (alternatives > 1 ? 'else' : '');
  const targets = (t.target ?? []).map(pathOf).filter((p: string) => p !== pathOf(t.source));
  return `${source} ${t.eventType || 'always'}${guard ? ` [${guard}]` : ''}${targets.length > 0 ? ` → ${targets.join(', ')}` : ''}`;
}

const graphs = new WeakMap<AnyStateMachine, MachineGraph>();

/** The states and transitions of a machine definition (cached per machine). */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const cached = graphs.get(machine);
  if (cached) return cached;
  const states: string[] = [];
  const idOf = new Map<AnyTransitionDefinition, string>();
  const seen = new Map<string, number>();
  const add = (t: AnyTransitionDefinition) => {
    if (idOf.has(t)) return;
    const siblings = t.eventType ? (t.source.transitions.get(t.eventType) ?? []) : (t.source.always ?? []);
    let id = transitionText(t, siblings.length);
    // Two candidates reading alike (same source, event and guard) are told apart by their order.
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (n > 1) id = `${id} #${n}`;
    idOf.set(t, id);
  };
  const walk = (node: DirectedGraphNode) => {
    const path = pathOf(node.stateNode);
    if (path !== '') states.push(path);
    for (const edge of node.edges) add(edge.transition);
    for (const t of node.stateNode.always ?? []) add(t);
    node.children.forEach(walk);
  };
  walk(toDirectedGraph(machine));
  const graph = { states, transitions: [...idOf.values()], idOf };
  graphs.set(machine, graph);
  return graph;
}

/** The state paths a snapshot's value is in (`awaiting`; nested values give every level). */
export function statePaths(value: StateValue): string[] {
  if (typeof value === 'string') return [value];
  return Object.entries(value).flatMap(([k, v]) => [k, ...(v === undefined ? [] : statePaths(v as StateValue).map((p) => `${k}.${p}`))]);
}
