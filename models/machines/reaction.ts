import { enqueueActions } from 'xstate';
import type { Effect, TierEvent } from './vocabulary.js';

/** What a named action does: the next context and the effects it emits, in order. */
export interface Reaction<C> {
  context: C;
  effects: Effect[];
}

/** A named action's pure function: the next context and the effects, from the context, the event and the action's params. */
export type ReactionFn<C = object, P = unknown> = (context: C, event: TierEvent, params: P) => Reaction<C>;

const pure = new WeakMap<object, ReactionFn>();

/**
 * Wraps a pure bookkeeping function as a named XState action: it assigns the
 * new context and emits the effects. Tier machines keep their decisions in
 * guards and transitions; this is only the plumbing that lets one named
 * action update several connection records and emit several effects. Every
 * action of a tier machine is one, so a driver can also call the function
 * itself (`pureReactionOf`) instead of going through XState.
 */
export function reaction<C extends object, P = undefined>(fn: (context: C, event: TierEvent, params: P) => Reaction<C>) {
  const action = enqueueActions(({ context, event, enqueue }, params: P) => {
    const r = fn(context as C, event as TierEvent, params);
    enqueue.assign(() => r.context as never);
    for (const e of r.effects) enqueue.emit(e as never);
  });
  pure.set(action, fn as unknown as ReactionFn);
  return action as never;
}

/** The pure function of an action made with `reaction`, or undefined for any other action. */
export function pureReactionOf(action: unknown): ReactionFn | undefined {
  return typeof action === 'function' || (typeof action === 'object' && action !== null) ? pure.get(action as object) : undefined;
}

/** Narrow a tier event by type inside an action whose transition already guarantees it. */
export function eventOf<T extends TierEvent['type']>(event: TierEvent, type: T): Extract<TierEvent, { type: T }> {
  if (event.type !== type) throw new Error(`expected ${type}, got ${event.type}`);
  return event as Extract<TierEvent, { type: T }>;
}
