import { createActor, initialTransition, type AnyMachineSnapshot, type AnyStateMachine, type AnyTransitionDefinition, type StateValue } from 'xstate';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';

/** A tier instance's machine snapshot, as plain data. */
export interface InstanceState {
  value: StateValue;
  context: Record<string, unknown>;
}

/**
 * Pure stepping of tier machines.
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

/** Whether the machine has a transition for `event` now (a tier not reading a connection says no). */
export function accepts(machine: AnyStateMachine, state: InstanceState, event: TierEvent): boolean {
  return snapshotOf(machine, state).can(event);
}

export function stepMachine(
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
