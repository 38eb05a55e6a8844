import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition, StateValue } from 'xstate';
import { pureReactionOf, type ReactionFn } from '../../models/machines/reaction.js';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import { combinatorOf, isUnknownBuiltinGuard } from './xstateGuardCombinators.js';

/**
 * A tier machine compiled from its XState definition into a step function
 * that calls the machine's own guards and pure actions directly.
 *
 * XState's `transition` resolves a snapshot, builds an actor scope, walks the
 * state nodes and resolves every action through its executor: most of the
 * cost of a kernel step. The tier machines only use a small part of
 * statecharts (flat or nested states, guarded `on` and `always`
 * transitions, guards combined with and/or/not, actions that are pure
 * reactions), so here that part is evaluated with the same rules as XState
 * 5 (first enabled transition from the deepest state up; exit, transition
 * and entry actions in document order; eventless transitions until none is
 * enabled; context merged as `assign` merges it; `can` false for a
 * transition with neither target nor actions). Anything else (parallel or
 * history states, delays, invocations, wildcards, actions that are not
 * reactions) makes `compileMachine` throw, and the kernel keeps stepping
 * that machine through XState. test/kernel/compiledMachine.test.ts holds
 * both paths to the same next states and effects on random event sequences.
 */

type Context = Record<string, unknown>;
type Guard = (context: Context, event: TierEvent) => boolean;
type Action = (context: Context, event: TierEvent, effects: Effect[]) => Context;

interface Node {
  readonly xs: AnyStateNode;
  readonly parent: Node | null;
  readonly depth: number;
  readonly order: number;
  on: Map<string, Transition[]>;
  always: Transition[];
  entry: Action[];
  exit: Action[];
  /** A compound node's initial child and its initial actions. */
  initial: { child: Node; actions: Action[] } | null;
  children: Map<string, Node>;
}

interface Transition {
  /** XState's definition it was compiled from (what XState reports as taken: coverage counts these). */
  readonly def: AnyTransitionDefinition;
  readonly source: Node;
  readonly guard: Guard | null;
  readonly actions: Action[];
  readonly targets: Node[] | null;
  readonly reenter: boolean;
  /** Exit and entry plans, per active atomic state (memoised). */
  plans: Map<Node, Plan>;
}

interface Plan {
  exit: Node[];
  enter: { node: Node; defaultEntry: boolean }[];
  atomic: Node;
}

export interface InstanceSnapshot {
  value: StateValue;
  context: Context;
}

export interface CompiledMachine {
  /**
   * The next state and the effects emitted, in order; `accepted` is XState's
   * `can`. With `taken`, the transitions of each microstep are pushed to it,
   * as XState reports them (`@xstate.microstep`): the one the event selected,
   * then each eventless one, the last (which changes nothing) included.
   */
  step(state: InstanceSnapshot, event: TierEvent, taken?: AnyTransitionDefinition[]): { next: InstanceSnapshot; effects: Effect[]; accepted: boolean };
  /** XState's `snapshot.can(event)`: a transition is enabled and it has a target or actions. */
  accepts(state: InstanceSnapshot, event: TierEvent): boolean;
}

export class UncompilableMachine extends Error {}

const MAX_EVENTLESS_STEPS = 10_000;

class Compiler {
  private readonly guards: Record<string, unknown>;
  private readonly actions: Record<string, unknown>;

  constructor(private readonly machine: AnyStateMachine) {
    this.guards = (machine.implementations.guards ?? {}) as Record<string, unknown>;
    this.actions = (machine.implementations.actions ?? {}) as Record<string, unknown>;
  }

  refuse(what: string): never {
    throw new UncompilableMachine(`machine '${this.machine.id}': ${what}`);
  }

  guard(spec: unknown, depth = 0): Guard {
    if (depth > 32) this.refuse('guards nest too deep');
    const combined = combinatorOf(spec);
    if (combined) {
      const parts = combined.guards.map((g) => this.guard(g, depth + 1));
      if (combined.kind === 'not') {
        const [g] = parts;
        if (!g || parts.length !== 1) this.refuse('not() with other than one guard');
        return (c, e) => !g(c, e);
      }
      if (combined.kind === 'and') return (c, e) => parts.every((g) => g(c, e));
      return (c, e) => parts.some((g) => g(c, e));
    }
    if (isUnknownBuiltinGuard(spec)) this.refuse('a built-in guard other than and/or/not');
    if (typeof spec === 'function') {
      const fn = spec as (args: { context: Context; event: TierEvent }, params: unknown) => boolean;
      return (context, event) => fn({ context, event }, undefined);
    }
    const named = typeof spec === 'string' ? { type: spec, params: undefined as unknown } : (spec as { type: string; params?: unknown });
    if (typeof named?.type !== 'string') this.refuse(`a guard that is neither named nor a function: ${String(spec)}`);
    const impl = this.guards[named.type];
    if (impl === undefined) this.refuse(`guard '${named.type}' is not implemented`);
    // A named guard that is itself a combinator or another guard's name: XState evaluates what it names.
    if (typeof impl !== 'function' || combinatorOf(impl) || isUnknownBuiltinGuard(impl)) return this.guard(impl, depth + 1);
    const fn = impl as (args: { context: Context; event: TierEvent }, params: unknown) => boolean;
    const params = named.params;
    if (typeof params === 'function') {
      const resolve = params as (args: { context: Context; event: TierEvent }) => unknown;
      return (context, event) => fn({ context, event }, resolve({ context, event }));
    }
    return (context, event) => fn({ context, event }, params);
  }

  action(spec: unknown): Action {
    let fn: ReactionFn | undefined;
    let params: unknown;
    if (typeof spec === 'string' || (typeof spec === 'object' && spec !== null && typeof (spec as { type?: unknown }).type === 'string' && !pureReactionOf(spec))) {
      const named = typeof spec === 'string' ? { type: spec, params: undefined as unknown } : (spec as { type: string; params?: unknown });
      fn = pureReactionOf(this.actions[named.type]);
      if (!fn) this.refuse(`action '${named.type}' is not a pure reaction (models/machines/reaction.ts)`);
      params = named.params;
    } else {
      fn = pureReactionOf(spec);
      if (!fn) this.refuse('an inline action that is not a pure reaction');
    }
    const reaction = fn;
    const dynamic = typeof params === 'function' ? (params as (args: { context: Context; event: TierEvent }) => unknown) : null;
    return (context, event, effects) => {
      const r = reaction(context, event, dynamic ? dynamic({ context, event }) : params);
      for (const e of r.effects) effects.push(e);
      // XState's assign merges the new context over the old one (Object.assign); an unchanged context stays the same object.
      return r.context === context ? context : (Object.assign({}, context, r.context) as Context);
    };
  }

  node(xs: AnyStateNode, parent: Node | null): Node {
    if (xs.type === 'parallel' || xs.type === 'history' || xs.type === 'final') this.refuse(`state '${xs.id}' is ${xs.type}`);
    if (xs.invoke.length > 0) this.refuse(`state '${xs.id}' invokes actors`);
    if ((xs.config as { after?: unknown }).after) this.refuse(`state '${xs.id}' has delayed transitions`);
    const n: Node = {
      xs,
      parent,
      depth: parent ? parent.depth + 1 : 0,
      order: xs.order,
      on: new Map(),
      always: [],
      entry: xs.entry.map((a) => this.action(a)),
      exit: xs.exit.map((a) => this.action(a)),
      initial: null,
      children: new Map(),
    };
    for (const [key, child] of Object.entries(xs.states as Record<string, AnyStateNode>)) n.children.set(key, this.node(child, n));
    return n;
  }

  /** Transitions are compiled once every node exists, since targets may point anywhere. */
  transitions(n: Node, byXs: Map<AnyStateNode, Node>) {
    for (const [type, list] of n.xs.transitions) {
      if (type.includes('*') || type.startsWith('xstate.')) this.refuse(`state '${n.xs.id}' has a transition on '${type}'`);
      n.on.set(type, list.map((t) => this.transition(t, n, byXs)));
    }
    n.always = (n.xs.always ?? []).map((t) => this.transition(t, n, byXs));
    if (n.xs.type === 'compound') {
      const init = n.xs.initial;
      const target = init.target[0];
      const child = target && byXs.get(target);
      if (!child || init.target.length !== 1 || child.parent !== n) this.refuse(`state '${n.xs.id}' has an initial state that is not one of its children`);
      n.initial = { child, actions: init.actions.map((a) => this.action(a)) };
    }
    for (const c of n.children.values()) this.transitions(c, byXs);
  }

  transition(t: AnyTransitionDefinition, source: Node, byXs: Map<AnyStateNode, Node>): Transition {
    const targets = t.target?.map((x) => byXs.get(x) ?? this.refuse(`a transition of '${source.xs.id}' targets an unknown state`)) ?? null;
    return {
      def: t,
      source,
      guard: t.guard === undefined ? null : this.guard(t.guard),
      actions: t.actions.map((a) => this.action(a)),
      targets: targets && targets.length > 0 ? targets : null,
      reenter: t.reenter,
      plans: new Map(),
    };
  }
}

/** XState's isDescendant: `child` lies strictly below `ancestor` (with no ancestor: below nothing, i.e. anything). */
function isDescendant(child: Node, ancestor: Node | undefined): boolean {
  let m = child;
  while (m.parent && m.parent !== ancestor) m = m.parent;
  return m.parent === (ancestor ?? null);
}

function properAncestors(n: Node, upTo: Node | undefined): Node[] {
  const out: Node[] = [];
  if (n === upTo) return out;
  for (let m = n.parent; m && m !== upTo; m = m.parent) out.push(m);
  return out;
}

function chainOf(atomic: Node): Node[] {
  const chain: Node[] = [];
  for (let m: Node | null = atomic; m; m = m.parent) chain.push(m);
  return chain;
}

/** XState's getTransitionDomain, for a transition with targets and no history states. */
function domainOf(t: Transition, root: Node): Node | undefined {
  const targets = t.targets!;
  if (!t.reenter && targets.every((x) => x === t.source || isDescendant(x, t.source))) return t.source;
  const [head, ...tail] = [...targets, t.source];
  for (const anc of properAncestors(head!, undefined)) if (tail.every((s) => isDescendant(s, anc))) return anc;
  return t.reenter ? undefined : root;
}

/** Which states a targeted transition exits and enters from the active atomic state `atomic` (XState's microstep, one transition). */
function planOf(t: Transition, atomic: Node, root: Node): Plan {
  const known = t.plans.get(atomic);
  if (known) return known;
  const active = chainOf(atomic);
  const domain = domainOf(t, root);
  const exitSet = new Set<Node>();
  if (t.reenter && t.source === domain && domain) exitSet.add(domain);
  for (const s of active) if (isDescendant(s, domain)) exitSet.add(s);
  const exit = [...exitSet].sort((a, b) => b.order - a.order);

  const toEnter = new Set<Node>();
  const defaultEntry = new Set<Node>();
  const addDescendants = (s: Node) => {
    if (!s.initial) return;
    const child = s.initial.child;
    toEnter.add(child);
    defaultEntry.add(child);
    addDescendants(child);
    for (const a of properAncestors(child, s)) toEnter.add(a);
  };
  for (const s of t.targets!) {
    if (t.source !== s || t.source !== domain || t.reenter) {
      toEnter.add(s);
      defaultEntry.add(s);
    }
    addDescendants(s);
  }
  const reentrancy = !t.source.parent && t.reenter ? undefined : domain;
  for (const s of t.targets!) for (const anc of properAncestors(s, domain)) if (!reentrancy || isDescendant(anc, reentrancy)) toEnter.add(anc);
  const enter = [...toEnter].sort((a, b) => a.order - b.order).map((node) => ({ node, defaultEntry: defaultEntry.has(node) }));

  const after = new Set(active.filter((s) => !exitSet.has(s)));
  for (const e of enter) after.add(e.node);
  let deepest: Node | null = null;
  for (const s of after) if (!deepest || s.depth > deepest.depth) deepest = s;
  const plan = { exit, enter, atomic: deepest! };
  t.plans.set(atomic, plan);
  return plan;
}

function select(from: Node, event: TierEvent, context: Context): Transition | null {
  for (let n: Node | null = from; n; n = n.parent) {
    const candidates = n.on.get(event.type);
    if (!candidates) continue;
    for (const t of candidates) if (t.guard === null || t.guard(context, event)) return t;
  }
  return null;
}

function selectEventless(from: Node, event: TierEvent, context: Context): Transition | null {
  for (let n: Node | null = from; n; n = n.parent) for (const t of n.always) if (t.guard === null || t.guard(context, event)) return t;
  return null;
}

function valueOf(atomic: Node): StateValue {
  const keys: string[] = [];
  for (let m: Node | null = atomic; m && m.parent; m = m.parent) keys.push(m.xs.key);
  if (keys.length === 0) return {};
  let value: StateValue = keys[0]!;
  for (let i = 1; i < keys.length; i++) value = { [keys[i]!]: value };
  return value;
}

class Compiled implements CompiledMachine {
  private readonly byKey = new Map<string, Node>();

  constructor(private readonly root: Node) {
    for (const [key, child] of root.children) this.byKey.set(key, child);
  }

  private atomicOf(value: StateValue): Node {
    if (typeof value === 'string') {
      const n = this.byKey.get(value);
      if (n && !n.initial) return n;
    }
    let n = this.root;
    let v: StateValue = value;
    for (;;) {
      const key = typeof v === 'string' ? v : Object.keys(v)[0];
      const child = key === undefined ? undefined : n.children.get(key);
      if (!child) throw new Error(`state value ${JSON.stringify(value)} is not a state of the machine`);
      n = child;
      if (typeof v === 'string') break;
      v = (v as Record<string, StateValue>)[key!]!;
    }
    while (n.initial) n = n.initial.child;
    return n;
  }

  /** One microstep: exit, transition actions, entry; returns the new atomic state and context. */
  private microstep(t: Transition, atomic: Node, context: Context, event: TierEvent, effects: Effect[]): [Node, Context] {
    if (!t.targets) {
      for (const a of t.actions) context = a(context, event, effects);
      return [atomic, context];
    }
    const plan = planOf(t, atomic, this.root);
    for (const s of plan.exit) for (const a of s.exit) context = a(context, event, effects);
    for (const a of t.actions) context = a(context, event, effects);
    for (const { node, defaultEntry } of plan.enter) {
      for (const a of node.entry) context = a(context, event, effects);
      if (defaultEntry && node.initial) for (const a of node.initial.actions) context = a(context, event, effects);
    }
    return [plan.atomic, context];
  }

  step(state: InstanceSnapshot, event: TierEvent, taken?: AnyTransitionDefinition[]) {
    let atomic = this.atomicOf(state.value);
    let context = state.context;
    const effects: Effect[] = [];
    const t = select(atomic, event, context);
    const accepted = t !== null && (t.targets !== null || t.actions.length > 0);
    const start = atomic;
    if (t) {
      taken?.push(t.def);
      [atomic, context] = this.microstep(t, atomic, context, event, effects);
    }
    for (let i = 0; ; i++) {
      const e = selectEventless(atomic, event, context);
      if (e) taken?.push(e.def);
      // An eventless transition that does nothing leaves the snapshot as it is, which ends the macrostep in XState too.
      if (!e || (!e.targets && e.actions.length === 0)) break;
      if (i >= MAX_EVENTLESS_STEPS) throw new Error(`machine ${this.root.xs.machine.id}: eventless transitions did not come to rest`);
      [atomic, context] = this.microstep(e, atomic, context, event, effects);
    }
    const value = atomic === start && context === state.context ? state.value : valueOf(atomic);
    return { next: value === state.value && context === state.context ? state : { value, context }, effects, accepted };
  }

  accepts(state: InstanceSnapshot, event: TierEvent): boolean {
    const t = select(this.atomicOf(state.value), event, state.context);
    return t !== null && (t.targets !== null || t.actions.length > 0);
  }
}

/** Compiles a machine, or throws UncompilableMachine naming what it uses that the compiler does not handle. */
export function compileMachine(machine: AnyStateMachine): CompiledMachine {
  const c = new Compiler(machine);
  const root = c.node(machine.root, null);
  const byXs = new Map<AnyStateNode, Node>();
  const index = (n: Node) => {
    byXs.set(n.xs, n);
    for (const child of n.children.values()) index(child);
  };
  index(root);
  c.transitions(root, byXs);
  return new Compiled(root);
}
