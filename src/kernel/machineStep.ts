import { createActor, initialTransition, type AnyMachineSnapshot, type AnyStateMachine, type AnyTransitionDefinition, type StateValue } from 'xstate';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import { compileMachine, UncompilableMachine, type CompiledMachine } from './compiledMachine.js';

/** A tier instance's machine snapshot, as plain data. */
export interface InstanceState {
  value: StateValue;
  context: Record<string, unknown>;
}

/**
 * Pure stepping of tier machines.
 *
 * The kernel steps every machine through its compiled step function
 * (compiledMachine.ts: the machine's own guards and pure actions, called
 * directly). A machine the compiler refuses is stepped through XState, as
 * below; `xstateStep` and `xstateAccepts` stay available as the reference
 * the compiled path is tested against.
 *
 * XState's `transition(machine, snapshot, event)` builds a fresh inert actor
 * scope on every call, which costs ~25 us, most of a kernel step. We do the
 * same thing with one inert scope per machine, reused: the machine's own
 * `transition(snapshot, event, scope)` with an action executor that only
 * collects actions. Nothing is executed; `emit` actions come back as effects.
 * (test/kernel/machineStep.test.ts checks it agrees with XState's `transition`.)
 */
interface Scope {
  scope: Parameters<AnyStateMachine['transition']>[2];
  collected: { type: string; params?: unknown }[];
  /** The transitions each microstep took (eventless ones included), for coverage. */
  taken: AnyTransitionDefinition[];
}
const scopes = new WeakMap<AnyStateMachine, Scope>();

function scopeOf(machine: AnyStateMachine): Scope {
  let s = scopes.get(machine);
  if (!s) {
    const collected: Scope['collected'] = [];
    const taken: AnyTransitionDefinition[] = [];
    const self = createActor(machine, { input: undefined as never });
    // XState reports every microstep, with the transitions it took, to its system's inspection hook:
    // the only way to learn which guarded candidate (and which eventless transition) was taken.
    // Hooked directly rather than through `inspect`, which copies every event (a quarter of a step's time).
    const system = Object.create(self.system) as typeof self.system & { _sendInspectionEvent(e: { type: string }): void };
    system._sendInspectionEvent = (e) => {
      if (e.type === '@xstate.microstep') for (const t of (e as unknown as { _transitions: AnyTransitionDefinition[] })._transitions) taken.push(t);
    };
    const scope = {
      self,
      defer: () => {},
      id: '',
      logger: () => {},
      sessionId: '',
      stopChild: () => {},
      system,
      emit: () => {},
      actionExecutor: (a: { type: string; params?: unknown }) => {
        collected.push(a);
      },
    } as unknown as Scope['scope'];
    s = { scope, collected, taken };
    scopes.set(machine, s);
  }
  return s;
}

const EMIT = 'xstate.emit';

function effectsOf(actions: readonly { type: string; params?: unknown }[]): Effect[] {
  const out: Effect[] = [];
  for (const a of actions) if (a.type === EMIT) out.push((a.params as { event: Effect }).event);
  return out;
}

// Snapshots are rebuilt from plain data; cache them per (immutable) instance state.
const snapshots = new WeakMap<InstanceState, AnyMachineSnapshot>();

export function snapshotOf(machine: AnyStateMachine, state: InstanceState): AnyMachineSnapshot {
  let snap = snapshots.get(state);
  if (!snap) {
    snap = machine.resolveState({ value: state.value, context: state.context });
    snapshots.set(state, snap);
  }
  return snap;
}

export function initialSnapshot(machine: AnyStateMachine, input: unknown): AnyMachineSnapshot {
  const [snap] = initialTransition(machine, input);
  return snap;
}

/** XState's answer: whether the machine has a transition for `event` now. */
export function xstateAccepts(machine: AnyStateMachine, state: InstanceState, event: TierEvent): boolean {
  return snapshotOf(machine, state).can(event);
}

/** XState's answer: the next state and the effects emitted, through the machine's own `transition`. */
export function xstateStep(
  machine: AnyStateMachine,
  state: InstanceState,
  event: TierEvent,
): { next: InstanceState; effects: Effect[]; taken: AnyTransitionDefinition[] } {
  const s = scopeOf(machine);
  s.collected.length = 0;
  s.taken.length = 0;
  const snap = machine.transition(snapshotOf(machine, state), event, s.scope) as AnyMachineSnapshot;
  if (snap.status === 'error') throw new Error(`machine ${machine.id} failed on ${event.type}: ${String(snap.error)}`);
  const next: InstanceState = { value: snap.value, context: snap.context };
  snapshots.set(next, snap);
  return { next, effects: effectsOf(s.collected), taken: [...s.taken] };
}

// null: the compiler refused the machine (it uses statechart features the tier machines do not), so XState steps it.
const compiled = new WeakMap<AnyStateMachine, CompiledMachine | null>();

/** The machine's compiled step function, or null when it is stepped through XState. */
export function compiledStepper(machine: AnyStateMachine): CompiledMachine | null {
  let c = compiled.get(machine);
  if (c === undefined) {
    try {
      c = compileMachine(machine);
    } catch (e) {
      if (!(e instanceof UncompilableMachine)) throw e;
      c = null;
    }
    compiled.set(machine, c);
  }
  return c;
}

/** Whether the machine has a transition for `event` now (a tier not reading a connection says no). */
export function accepts(machine: AnyStateMachine, state: InstanceState, event: TierEvent): boolean {
  const c = compiledStepper(machine);
  return c ? c.accepts(state, event) : xstateAccepts(machine, state, event);
}

/**
 * The machine's next state and the effects it emits for `event`, in order.
 * With `taken`, the machine transitions the step took are pushed to it (for
 * coverage), as XState reports them.
 */
export function stepMachine(
  machine: AnyStateMachine,
  state: InstanceState,
  event: TierEvent,
  taken?: AnyTransitionDefinition[],
): { next: InstanceState; effects: Effect[] } {
  const c = compiledStepper(machine);
  if (!c) {
    const r = xstateStep(machine, state, event);
    if (taken) for (const t of r.taken) taken.push(t);
    return { next: r.next, effects: r.effects };
  }
  const r = c.step(state, event, taken);
  return { next: r.next, effects: r.effects };
}
