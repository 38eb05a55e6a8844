import { setup } from 'xstate';
import { eventOf, reaction, type Reaction } from './reaction.js';
import type { Effect, KernelVisibleContext, TierEvent } from './vocabulary.js';

/**
 * An L4 connection limiter (the seed's Golang "L4 connection queue"): it
 * completes every handshake, but lets at most `limit` connections be active.
 * The rest wait FIFO and are neither read nor written until an active one
 * closes. Each active connection is proxied 1:1 to its own connection to the
 * next tier (NGINX), and the two close together.
 *
 * A queued connection is never read: this machine accepts no REQUEST, CLOSE or
 * RESET on it, so the kernel leaves those messages in the socket buffer.
 */
export interface ConnectionLimiterParams {
  limit: number;
}

interface Pair {
  down: string;
  up: string;
}

export interface ConnectionLimiterContext extends KernelVisibleContext {
  params: ConnectionLimiterParams;
  /** Active connections and the upstream connection each is proxied to, oldest first. */
  active: Pair[];
  /** Accepted but parked connections, oldest first. */
  queued: string[];
}

type Ctx = ConnectionLimiterContext;

/** Give the oldest queued connection the free slot, opening its upstream twin with `nextConn`. */
function activateOldest(ctx: Ctx, nextConn: string, effects: Effect[]): Ctx {
  const [head, ...rest] = ctx.queued;
  if (head === undefined || ctx.active.length >= ctx.params.limit) return ctx;
  effects.push(
    { type: 'log', what: 'activate', conn: head, detail: `slot ${ctx.active.length + 1} of ${ctx.params.limit}` },
    { type: 'open', conn: nextConn, detail: `proxy for ${head}` },
  );
  return { ...ctx, queued: rest, active: [...ctx.active, { down: head, up: nextConn }] };
}

/** One side of an active pair went away: tear down the other side and free the slot. */
function closePair(ctx: Ctx, event: TierEvent, side: 'down' | 'up'): Reaction<Ctx> {
  const conn = 'conn' in event ? event.conn : '';
  const pair = ctx.active.find((p) => p[side] === conn)!;
  const teardown = event.type === 'RESET' ? 'reset' : 'close';
  const effects: Effect[] =
    side === 'down'
      ? [{ type: teardown, conn: pair.up, to: 'up' }]
      : [{ type: teardown, conn: pair.down, to: 'down' }];
  const freed = { ...ctx, active: ctx.active.filter((p) => p !== pair) };
  return { context: activateOldest(freed, event.nextConn, effects), effects };
}

export const connectionLimiter = setup({
  types: {
    context: {} as ConnectionLimiterContext,
    events: {} as TierEvent,
    input: {} as { params: ConnectionLimiterParams },
    emitted: {} as Effect,
  },
  actions: {
    activateConnection: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'CONNECT');
      const effects: Effect[] = [];
      const next = activateOldest({ ...ctx, queued: [...ctx.queued, e.conn] }, e.nextConn, effects);
      return { context: next, effects };
    }),
    queueConnection: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'CONNECT');
      return {
        context: { ...ctx, queued: [...ctx.queued, e.conn] },
        effects: [{ type: 'log', what: 'queue', conn: e.conn, detail: `all ${ctx.params.limit} slots active, position ${ctx.queued.length + 1}` }],
      };
    }),
    proxyUp: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'REQUEST');
      const pair = ctx.active.find((p) => p.down === e.conn)!;
      return { context: ctx, effects: [{ type: 'send', conn: pair.up, to: 'up', msg: { kind: 'request', req: e.req } }] };
    }),
    proxyDown: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESPONSE');
      const pair = ctx.active.find((p) => p.up === e.conn)!;
      return {
        context: ctx,
        effects: [{ type: 'send', conn: pair.down, to: 'down', msg: { kind: 'response', req: e.req, status: e.status, close: e.close } }],
      };
    }),
    closeFromDownstream: reaction<Ctx>((ctx, event) => closePair(ctx, event, 'down')),
    closeFromUpstream: reaction<Ctx>((ctx, event) => closePair(ctx, event, 'up')),
  },
  guards: {
    hasFreeSlot: ({ context }) => context.active.length < context.params.limit,
    isFull: ({ context }) => context.active.length >= context.params.limit,
    // Reads happen only on active connections: a queued one is left untouched.
    activeDownstream: ({ context, event }) => 'conn' in event && context.active.some((p) => p.down === event.conn),
    activeUpstream: ({ context, event }) => 'conn' in event && context.active.some((p) => p.up === event.conn),
  },
}).createMachine({
  id: 'connectionLimiter',
  context: ({ input }) => ({ params: input.params, active: [], queued: [], branching: {} }),
  initial: 'admitting',
  states: {
    admitting: {
      always: { guard: 'isFull', target: 'saturated' },
      on: {
        CONNECT: { actions: 'activateConnection' },
      },
    },
    saturated: {
      always: { guard: 'hasFreeSlot', target: 'admitting' },
      on: {
        CONNECT: { actions: 'queueConnection' },
      },
    },
  },
  on: {
    REQUEST: { guard: 'activeDownstream', actions: 'proxyUp' },
    RESPONSE: { guard: 'activeUpstream', actions: 'proxyDown' },
    CLOSE: [
      { guard: 'activeDownstream', actions: 'closeFromDownstream' },
      { guard: 'activeUpstream', actions: 'closeFromUpstream' },
    ],
    RESET: [
      { guard: 'activeDownstream', actions: 'closeFromDownstream' },
      { guard: 'activeUpstream', actions: 'closeFromUpstream' },
    ],
  },
});
