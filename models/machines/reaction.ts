import { enqueueActions } from 'xstate';
import type { Effect, TierEvent } from './vocabulary.js';

/** What a named action does: the next context and the effects it emits, in order. */
export interface Reaction<C> {
  context: C;
  effects: Effect[];
}

/**
 * Wraps a pure bookkeeping function as a named XState action: it assigns the
 * new context and emits the effects. Tier machines keep their decisions in
 * guards and transitions; this is only the plumbing that lets one named
 * action update several connection records and emit several effects.
 */
export function reaction<C extends object, P = undefined>(
  fn: (context: C, event: TierEvent, params: P) => Reaction<C>,
) {
  return enqueueActions(({ context, event, enqueue }, params: P) => {
    const r = fn(context as C, event as TierEvent, params);
    enqueue.assign(() => r.context as never);
    for (const e of r.effects) enqueue.emit(e as never);
  }) as never;
}

/** Narrow a tier event by type inside an action whose transition already guarantees it. */
export function eventOf<T extends TierEvent['type']>(event: TierEvent, type: T): Extract<TierEvent, { type: T }> {
  if (event.type !== type) throw new Error(`expected ${type}, got ${event.type}`);
  return event as Extract<TierEvent, { type: T }>;
}
