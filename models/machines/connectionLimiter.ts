import { setup } from 'xstate';
import { choice, whole } from '../params/fields.js';
import { countFrom, describeMachine, type ConnectionView } from './descriptor.js';
import { eventOf, reaction, type Reaction } from './reaction.js';
import type { Effect, KernelVisibleContext, Method, TierEvent } from './vocabulary.js';

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
  /**
   * What `limit` counts. 'connections' (default, the seed's Golang queue):
   * active connections; the rest are parked unread. 'requests': requests in
   * flight; every connection is accepted, proxied 1:1 and read at once, and a
   * request beyond the limit waits FIFO inside the limiter until one in flight
   * is answered (an HTTP-aware concurrency limit).
   */
  mode?: 'connections' | 'requests';
}

interface HeldRequest {
  req: string;
  method: Method;
  /** The downstream connection it came on. */
  down: string;
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
  /** 'requests' mode: requests forwarded and not yet answered. */
  inflight?: HeldRequest[];
  /** 'requests' mode: requests read but held until a slot frees, oldest first. */
  held?: HeldRequest[];
}

type Ctx = ConnectionLimiterContext;

const limitsRequests = (ctx: Ctx) => ctx.params.mode === 'requests';

/** Give the oldest queued connection the free slot, opening its upstream twin with `nextConn`. */
function activateOldest(ctx: Ctx, nextConn: string, effects: Effect[]): Ctx {
  const [head, ...rest] = ctx.queued;
  if (head === undefined) return ctx;
  if (limitsRequests(ctx)) {
    // Every connection is read: only requests are limited.
    effects.push({ type: 'open', conn: nextConn, detail: `proxy for ${head} (every connection is read; requests are limited)` });
    return { ...ctx, queued: rest, active: [...ctx.active, { down: head, up: nextConn }] };
  }
  if (ctx.active.length >= ctx.params.limit) return ctx;
  effects.push(
    { type: 'log', what: 'activate', conn: head, detail: `slot ${ctx.active.length + 1} of ${ctx.params.limit}` },
    { type: 'open', conn: nextConn, detail: `proxy for ${head}` },
  );
  return { ...ctx, queued: rest, active: [...ctx.active, { down: head, up: nextConn }] };
}

/** 'requests' mode: forward the oldest held requests while slots are free. */
function admitHeld(ctx: Ctx, effects: Effect[]): Ctx {
  let inflight = ctx.inflight ?? [];
  const held = [...(ctx.held ?? [])];
  while (held.length > 0 && inflight.length < ctx.params.limit) {
    const h = held.shift()!;
    const pair = ctx.active.find((p) => p.down === h.down);
    if (!pair) continue;
    inflight = [...inflight, h];
    effects.push(
      { type: 'log', what: 'activate', req: h.req, conn: h.down, detail: `request slot ${inflight.length} of ${ctx.params.limit} freed for ${h.req}` },
      { type: 'send', conn: pair.up, to: 'up', msg: { kind: 'request', req: h.req, method: h.method } },
    );
  }
  return { ...ctx, inflight, held };
}

/** 'requests' mode: a connection went away, and with it its requests held or in flight. */
function forgetRequestsOf(ctx: Ctx, down: string): Ctx {
  if (!limitsRequests(ctx)) return ctx;
  return {
    ...ctx,
    inflight: (ctx.inflight ?? []).filter((h) => h.down !== down),
    held: (ctx.held ?? []).filter((h) => h.down !== down),
  };
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
  const freed = forgetRequestsOf({ ...ctx, active: ctx.active.filter((p) => p !== pair) }, pair.down);
  const next = activateOldest(freed, event.nextConn, effects);
  return { context: limitsRequests(next) ? admitHeld(next, effects) : next, effects };
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
      if (limitsRequests(ctx)) {
        const held = ctx.held ?? [];
        const effects: Effect[] = [];
        if ((ctx.inflight ?? []).length >= ctx.params.limit) {
          effects.push({
            type: 'log',
            what: 'queue',
            req: e.req,
            conn: e.conn,
            detail: `all ${ctx.params.limit} request slots busy, ${e.req} waits at position ${held.length + 1}`,
          });
          return { context: { ...ctx, held: [...held, { req: e.req, method: e.method, down: e.conn }] }, effects };
        }
        const inflight = [...(ctx.inflight ?? []), { req: e.req, method: e.method, down: e.conn }];
        effects.push(
          { type: 'log', what: 'activate', req: e.req, conn: e.conn, detail: `request slot ${inflight.length} of ${ctx.params.limit}` },
          { type: 'send', conn: pair.up, to: 'up', msg: { kind: 'request', req: e.req, method: e.method } },
        );
        return { context: { ...ctx, inflight }, effects };
      }
      return { context: ctx, effects: [{ type: 'send', conn: pair.up, to: 'up', msg: { kind: 'request', req: e.req, method: e.method } }] };
    }),
    proxyDown: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESPONSE');
      const pair = ctx.active.find((p) => p.up === e.conn)!;
      const effects: Effect[] = [
        { type: 'send', conn: pair.down, to: 'down', msg: { kind: 'response', req: e.req, status: e.status, close: e.close } },
      ];
      if (!limitsRequests(ctx)) return { context: ctx, effects };
      const done = { ...ctx, inflight: (ctx.inflight ?? []).filter((h) => h.req !== e.req) };
      return { context: admitHeld(done, effects), effects };
    }),
    closeFromDownstream: reaction<Ctx>((ctx, event) => closePair(ctx, event, 'down')),
    closeFromUpstream: reaction<Ctx>((ctx, event) => closePair(ctx, event, 'up')),
  },
  guards: {
    hasFreeSlot: ({ context }) => limitsRequests(context) || context.active.length < context.params.limit,
    isFull: ({ context }) => !limitsRequests(context) && context.active.length >= context.params.limit,
    // Reads happen only on active connections: a queued one is left untouched.
    activeDownstream: ({ context, event }) => 'conn' in event && context.active.some((p) => p.down === event.conn),
    activeUpstream: ({ context, event }) => 'conn' in event && context.active.some((p) => p.up === event.conn),
  },
}).createMachine({
  id: 'connectionLimiter',
  context: ({ input }) => ({
    params: input.params,
    active: [],
    queued: [],
    branching: {},
    ...(input.params.mode === 'requests' ? { inflight: [], held: [] } : {}),
  }),
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

/** Connections (either side) active in one context and not the other. */
function changedSlots(before: Ctx, after: Ctx): string[] {
  if (before.active === after.active) return [];
  const ids = (c: Ctx) => new Set(c.active.flatMap((p) => [p.down, p.up]));
  const was = ids(before);
  const now = ids(after);
  return [...[...now].filter((id) => !was.has(id)), ...[...was].filter((id) => !now.has(id))];
}

export const connectionLimiterDescriptor = describeMachine<ConnectionLimiterParams>()({
  kind: 'connectionLimiter',
  fileKind: 'limiter',
  about: 'an L4 connection limiter: accepts every connection, lets `limit` be active, parks the rest FIFO unread; each active one is proxied 1:1',
  role: 'proxy',
  machine: connectionLimiter,
  params: {
    fields: {
      limit: whole(1, 100_000, false).describe('Most active connections (mode connections), or requests in flight (mode requests).'),
      mode: choice(
        ['connections', 'requests'],
        "connections (default): at most `limit` active connections, the rest accepted and parked FIFO, never read or written (the seed's queue). requests: every connection is read; at most `limit` requests in flight, the rest wait FIFO inside the limiter (an HTTP-aware concurrency limit).",
      ),
    },
    composed: [],
    defaults: { limit: 1 },
    sources: { limit: { source: 'assumption', ref: 'a file without a preset must set it' } },
    required: ['limit'],
  },
  input: (params) => ({ params }),
  ids: [],
  counters: [],
  // A queued connection is left unread: its messages wait in the socket buffer without a deadline.
  parks: true,
  // It reads every message of an active connection and none of a queued one: only a change of slots can make one readable.
  unparks: (before, after) => changedSlots(before as unknown as ConnectionLimiterContext, after as unknown as ConnectionLimiterContext),
  // Slots, the queue and (mode requests) held requests are shared: any event may touch any connection.
  footprint: {},
  brief: (params) => `limit ${params.limit}`,
  countConnections: (context) => {
    const ctx = context as unknown as ConnectionLimiterContext;
    if (limitsRequests(ctx)) return countFrom(describeLimiterConnections(ctx, false));
    return { 'down.active': ctx.active.length, 'up.active': ctx.active.length, 'down.parked': ctx.queued.length };
  },
  describeConnections: (context, options) => describeLimiterConnections(context as unknown as ConnectionLimiterContext, options?.details !== false),
});

/** Active pairs (each holding a slot, or in mode requests, a request slot when one is in flight), then parked connections. */
function describeLimiterConnections(ctx: ConnectionLimiterContext, details: boolean): ConnectionView[] {
  const views: ConnectionView[] = [];
  ctx.active.forEach((p, i) => {
    if (limitsRequests(ctx)) {
      const inflight = (ctx.inflight ?? []).find((h) => h.down === p.down);
      const held = (ctx.held ?? []).find((h) => h.down === p.down);
      const status = inflight || held ? 'active' : 'idle';
      const detail = inflight ? `${inflight.req} in flight` : held ? `${held.req} waits for a request slot` : undefined;
      views.push({ conn: p.down, side: 'down', status, ...(detail ? { detail } : {}) }, { conn: p.up, side: 'up', status, detail: `proxies ${p.down}` });
    } else {
      views.push(
        { conn: p.down, side: 'down', status: 'active', detail: `slot ${i + 1} of ${ctx.params.limit}` },
        { conn: p.up, side: 'up', status: 'active', detail: `proxies ${p.down}` },
      );
    }
  });
  ctx.queued.forEach((conn, i) => views.push(details ? { conn, side: 'down', status: 'parked', detail: `queue position ${i + 1}, never read` } : { conn, side: 'down', status: 'parked' }));
  return views;
}
