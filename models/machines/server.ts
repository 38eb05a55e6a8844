import { setup } from 'xstate';
import { flag, timeout, window } from '../params/fields.js';
import { describeMachine } from './descriptor.js';
import { eventOf, reaction } from './reaction.js';
import { HTTP_OK, type Effect, type KernelVisibleContext, type TierEvent } from './vocabulary.js';

/**
 * A terminal server (the database): accepts connections and answers every
 * request on the connection it came on, after a response time drawn from a
 * window. It opens no connections of its own.
 */
export interface ServerParams {
  /** Time to answer one request (query time), as a [min, max] window in ms. */
  responseTime: readonly [number, number];
  /** Close a connection idle this long (MySQL wait_timeout; null: never). */
  idleTimeout: number | null;
  /** false: nothing listens on its port, so every connection attempt is refused (an RST answers the SYN). Default true. */
  listening?: boolean;
}

export interface ServerContext extends KernelVisibleContext {
  params: ServerParams;
  conns: string[];
}

type Ctx = ServerContext;
const idleKey = (conn: string) => `idle:${conn}`;

export const server = setup({
  types: {
    context: {} as ServerContext,
    events: {} as TierEvent,
    input: {} as { params: ServerParams },
    emitted: {} as Effect,
  },
  actions: {
    refuseConnection: reaction<Ctx>((ctx, event) => ({
      context: ctx,
      effects: [{ type: 'reset', conn: eventOf(event, 'CONNECT').conn, to: 'down', refused: true, detail: 'nothing listening: connection refused' }],
    })),
    acceptConnection: reaction<Ctx>((ctx, event) => {
      const conn = eventOf(event, 'CONNECT').conn;
      const effects: Effect[] = [];
      if (ctx.params.idleTimeout !== null) effects.push({ type: 'setTimer', key: idleKey(conn), after: ctx.params.idleTimeout });
      return { context: { ...ctx, conns: [...ctx.conns, conn] }, effects };
    }),
    answerRequest: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'REQUEST');
      const effects: Effect[] = [
        { type: 'cancelTimer', key: idleKey(e.conn) },
        {
          type: 'send',
          conn: e.conn,
          to: 'down',
          msg: { kind: 'response', req: e.req, status: HTTP_OK, close: false },
          latency: ctx.params.responseTime,
        },
      ];
      if (ctx.params.idleTimeout !== null) effects.push({ type: 'setTimer', key: idleKey(e.conn), after: ctx.params.idleTimeout });
      return { context: ctx, effects };
    }),
    closeIdleConnection: reaction<Ctx>((ctx, event) => {
      const conn = eventOf(event, 'TIMER').key.slice('idle:'.length);
      return {
        context: { ...ctx, conns: ctx.conns.filter((c) => c !== conn) },
        effects: [
          { type: 'log', what: 'idle-close', conn, detail: `idle ${ctx.params.idleTimeout} ms` },
          { type: 'close', conn, to: 'down', detail: 'server idle timeout' },
        ],
      };
    }),
    dropConnection: reaction<Ctx>((ctx, event) => {
      const conn = 'conn' in event ? event.conn : '';
      return {
        context: { ...ctx, conns: ctx.conns.filter((c) => c !== conn) },
        effects: [{ type: 'cancelTimer', key: idleKey(conn) }],
      };
    }),
  },
  guards: {
    listening: ({ context }) => context.params.listening !== false,
    knownConnection: ({ context, event }) => 'conn' in event && context.conns.includes(event.conn),
    idleTimerOfKnownConnection: ({ context, event }) =>
      event.type === 'TIMER' && context.conns.includes(event.key.slice('idle:'.length)),
  },
}).createMachine({
  id: 'server',
  context: ({ input }) => ({ params: input.params, conns: [], branching: {} }),
  initial: 'serving',
  states: {
    serving: {
      on: {
        CONNECT: [{ guard: 'listening', actions: 'acceptConnection' }, { actions: 'refuseConnection' }],
        REQUEST: { guard: 'knownConnection', actions: 'answerRequest' },
        TIMER: { guard: 'idleTimerOfKnownConnection', actions: 'closeIdleConnection' },
        CLOSE: { guard: 'knownConnection', actions: 'dropConnection' },
        RESET: { guard: 'knownConnection', actions: 'dropConnection' },
      },
    },
  },
});

export const serverDescriptor = describeMachine<ServerParams>()({
  kind: 'server',
  fileKind: 'server',
  about: 'a terminal server (a database, a service): answers every request on the connection it came on; the last tier',
  role: 'server',
  machine: server,
  params: {
    fields: {
      responseTime: window('Time to answer one request (query time)'),
      idleTimeout: timeout('Close a connection idle this long (MySQL wait_timeout)'),
      listening: flag('false: nothing listens on its port, so every connection attempt is refused with a reset. Default true.'),
    },
    composed: [],
    defaults: { responseTime: [1, 20], idleTimeout: null },
    sources: {
      responseTime: { source: 'assumption', ref: 'a fast query: 1-20 ms, the same order as one network hop' },
      idleTimeout: { source: 'assumption', ref: 'no idle timeout unless a preset or file gives one' },
      listening: { source: 'assumption', ref: 'a server listens unless a file says otherwise' },
    },
    required: [],
  },
  input: (params) => ({ params }),
  ids: [],
  counters: [],
  responseLatency: (params) => params.responseTime,
  parks: false,
  // Connections share nothing but the list of open ones, which only an accept appends to.
  footprint: { REQUEST: 'connection', CLOSE: 'connection', RESET: 'connection', TIMER: 'connection' },
  closesIdle: (key) => key.startsWith('idle:'),
  // It answers whatever arrives and keeps no request state: its connections are just open.
  describeConnections: (context) => (context as unknown as ServerContext).conns.map((conn) => ({ conn, side: 'down', status: 'open' })),
});
