import { and, assign, emit, or, setup } from 'xstate';
import { requestId } from '../ids.js';
import { flag, timeout } from '../params/fields.js';
import { describeMachine } from './descriptor.js';
import {
  CONNECTION_LOST,
  HTTP_GATEWAY_TIMEOUT,
  type Effect,
  type KernelVisibleContext,
  type TierEvent,
} from './vocabulary.js';

/**
 * One client connection's lifecycle (JMeter in the seed): HTTP/1.1 keep-alive,
 * one request at a time, no pipelining. When the server closes the connection
 * the client opens a new one for its next request, as HTTP clients do.
 *
 * The same machine runs a health checker (`interval` set): it starts when it
 * first acts, sends its first check one interval later, each on a new
 * connection closed after the answer, and the next check one interval after
 * the previous one finished (answered, failed or timed out).
 */
export interface ClientParams {
  /** How many requests this client sends over its life (the exploration bound). */
  requests: number;
  /** Give up on a request after this many ms (null: wait forever). */
  timeout: number | null;
  /** Request ids are `${prefix}${index}.${n}` (default 'r': `r1.2`; health checks use 'h': `h1.2`). */
  prefix?: string;
  /** Close the connection after each answer and open a new one per request (default false: keep-alive). */
  closeAfterResponse?: boolean;
  /**
   * Health-check pacing (ms): requests are sent by a timer, one interval after
   * the client starts and one interval after each outcome, never by the
   * schedule. Implies `closeAfterResponse`. Default null: the schedule decides.
   */
  interval?: number | null;
}

export interface ClientContext extends KernelVisibleContext {
  index: number;
  params: ClientParams;
  sent: number;
  conn: string | null;
  outstanding: string | null;
}

export interface ClientInput {
  index: number;
  params: ClientParams;
}

type Ev<T extends TierEvent['type']> = Extract<TierEvent, { type: T }>;

const paced = (context: ClientContext) => context.params.interval !== undefined && context.params.interval !== null;

const effect = (build: (a: { context: ClientContext; event: TierEvent }) => Effect) =>
  emit(build as never) as never;

/** Transitions for a connection that goes away under the outstanding request (CLOSE and RESET alike). */
const lostRequest = [
  {
    guard: and(['isOurConnection', 'pacedWithRequestsLeft']),
    target: 'resting',
    actions: ['disarmTimeout', 'recordLostRequest', 'forgetRequest', 'forgetConnection', 'armPace'],
  },
  {
    guard: 'isOurConnection',
    target: 'disconnected',
    actions: ['disarmTimeout', 'recordLostRequest', 'forgetRequest', 'forgetConnection'],
  },
] as const;

export const clientConnection = setup({
  types: {
    context: {} as ClientContext,
    events: {} as TierEvent,
    input: {} as ClientInput,
    emitted: {} as Effect,
  },
  actions: {
    adoptNewConnection: assign({ conn: ({ event }) => event.nextConn }),
    openConnection: effect(({ event }) => ({ type: 'open', conn: event.nextConn })),
    takeNextRequest: assign(({ context }) => ({
      sent: context.sent + 1,
      outstanding: requestId(context.params.prefix ?? 'r', context.index, context.sent + 1),
    })),
    sendRequest: effect(({ context }) => ({
      type: 'send',
      conn: context.conn!,
      to: 'up',
      msg: { kind: 'request', req: context.outstanding! },
    })),
    armTimeout: effect(({ context }) =>
      context.params.timeout === null
        ? { type: 'cancelTimer', key: 'timeout' }
        : { type: 'setTimer', key: 'timeout', after: context.params.timeout },
    ),
    disarmTimeout: effect(() => ({ type: 'cancelTimer', key: 'timeout' })),
    recordResponse: effect(({ event }) => {
      const e = event as Ev<'RESPONSE'>;
      return { type: 'log', what: 'outcome', req: e.req, status: e.status, conn: e.conn };
    }),
    recordLostRequest: effect(({ context, event }) => ({
      type: 'log',
      what: 'outcome',
      req: context.outstanding!,
      status: CONNECTION_LOST,
      conn: context.conn!,
      detail: event.type === 'RESET' ? 'connection reset' : 'connection closed',
    })),
    recordTimeout: effect(({ context }) => ({
      type: 'log',
      what: 'timeout',
      req: context.outstanding!,
      status: HTTP_GATEWAY_TIMEOUT,
      conn: context.conn!,
      detail: paced(context) ? 'health check timeout: unhealthy' : 'client timeout',
    })),
    closeConnection: effect(({ context }) => ({ type: 'close', conn: context.conn!, to: 'up' })),
    resetConnection: effect(({ context }) => ({ type: 'reset', conn: context.conn!, to: 'up' })),
    armPace: effect(({ context }) => ({ type: 'setTimer', key: 'pace', after: context.params.interval! })),
    // Every step should leave a trace event, so that traces read without gaps.
    announceStart: effect(({ context }) => ({ type: 'log', what: 'start', detail: `first check in ${context.params.interval} ms` })),
    forgetRequest: assign({ outstanding: null }),
    forgetConnection: assign({ conn: null }),
  },
  guards: {
    hasRequestsLeft: ({ context }) => context.sent < context.params.requests,
    /** The schedule may make an ordinary client send its next request. */
    mayAct: ({ context }) => context.sent < context.params.requests && !paced(context),
    /** A health checker starts (once): its first check is one interval later. */
    mayStartPacing: ({ context }) => paced(context) && context.sent === 0 && context.params.requests > 0,
    /** After this outcome a health checker rests one interval before its next check. */
    pacedWithRequestsLeft: ({ context }) => paced(context) && context.sent < context.params.requests,
    closesAfterResponse: ({ context }) => context.params.closeAfterResponse === true || paced(context),
    isTimeoutTimer: ({ event }) => event.type === 'TIMER' && event.key === 'timeout',
    isPaceTimer: ({ event }) => event.type === 'TIMER' && event.key === 'pace',
    isOurConnection: ({ context, event }) => 'conn' in event && event.conn === context.conn,
    answersOutstanding: ({ context, event }) =>
      event.type === 'RESPONSE' && event.conn === context.conn && event.req === context.outstanding,
    responseClosesConnection: ({ event }) => event.type === 'RESPONSE' && event.close,
  },
}).createMachine({
  id: 'clientConnection',
  context: ({ input }) => ({ index: input.index, params: input.params, sent: 0, conn: null, outstanding: null, branching: {} }),
  initial: 'disconnected',
  states: {
    disconnected: {
      on: {
        ACT: [
          {
            guard: 'mayAct',
            target: 'awaiting',
            actions: ['adoptNewConnection', 'openConnection', 'takeNextRequest', 'sendRequest', 'armTimeout'],
          },
          { guard: 'mayStartPacing', target: 'resting', actions: ['announceStart', 'armPace'] },
        ],
      },
    },
    connected: {
      on: {
        ACT: {
          guard: 'mayAct',
          target: 'awaiting',
          actions: ['takeNextRequest', 'sendRequest', 'armTimeout'],
        },
        // The server closed an idle keep-alive connection: reconnect on the next request.
        CLOSE: { guard: 'isOurConnection', target: 'disconnected', actions: ['forgetConnection'] },
        RESET: { guard: 'isOurConnection', target: 'disconnected', actions: ['forgetConnection'] },
      },
    },
    // A health checker between checks: its pace timer sends the next one on a new connection.
    resting: {
      on: {
        TIMER: {
          guard: 'isPaceTimer',
          target: 'awaiting',
          actions: ['adoptNewConnection', 'openConnection', 'takeNextRequest', 'sendRequest', 'armTimeout'],
        },
      },
    },
    awaiting: {
      on: {
        RESPONSE: [
          {
            guard: and(['answersOutstanding', or(['responseClosesConnection', 'closesAfterResponse']), 'pacedWithRequestsLeft']),
            target: 'resting',
            actions: ['disarmTimeout', 'recordResponse', 'forgetRequest', 'closeConnection', 'forgetConnection', 'armPace'],
          },
          {
            guard: and(['answersOutstanding', or(['responseClosesConnection', 'closesAfterResponse'])]),
            target: 'disconnected',
            actions: ['disarmTimeout', 'recordResponse', 'forgetRequest', 'closeConnection', 'forgetConnection'],
          },
          { guard: 'answersOutstanding', target: 'connected', actions: ['disarmTimeout', 'recordResponse', 'forgetRequest'] },
        ],
        // The server closed or reset the connection under the outstanding request: it is lost either way.
        CLOSE: lostRequest,
        RESET: lostRequest,
        TIMER: [
          {
            guard: and(['isTimeoutTimer', 'pacedWithRequestsLeft']),
            target: 'resting',
            actions: ['recordTimeout', 'forgetRequest', 'resetConnection', 'forgetConnection', 'armPace'],
          },
          {
            guard: 'isTimeoutTimer',
            target: 'disconnected',
            actions: ['recordTimeout', 'forgetRequest', 'resetConnection', 'forgetConnection'],
          },
        ],
      },
    },
  },
});

export const clientDescriptor = describeMachine<ClientParams>()({
  kind: 'client',
  fileKind: 'client',
  about: 'the load generator: holds long-lived keep-alive connections, one request at a time (HTTP/1.1, no pipelining); the first tier, and only the first',
  role: 'client',
  machine: clientConnection,
  params: {
    fields: {
      timeout: timeout('Client timeout: give up on a request after this long (JMeter response timeout)'),
      closeAfterResponse: flag(
        'Close the connection after each answer and open a new one per request (HTTP/1.0-style client). Default false: keep-alive.',
      ),
    },
    // The check's bound; a health checker's prefix and pacing come from the topology's `healthCheck`.
    composed: ['requests', 'prefix', 'interval'],
    defaults: { requests: 2, timeout: null },
    sources: {
      requests: { source: 'assumption', ref: "replaced by the check's bound on requests per client" },
      timeout: { source: 'doc', ref: 'JMeter HTTP Request sampler: response timeout empty by default, i.e. wait forever' },
    },
    required: [],
  },
  input: (params, at) => ({ index: at.copy, params: { ...params, requests: at.requests } }),
  ids: [{ path: 'index', role: 'ownCopy' }],
  counters: ['sent'],
  requestPrefix: (params) => params.prefix ?? 'r',
  parks: false,
  // One connection at a time: everything it does touches that connection and its own state.
  footprint: {},
  signature: (value, ctx) => `${String(value)}/${ctx.sent}/${ctx.outstanding === null}/${ctx.conn === null}`,
  describeConnections: (context) => {
    const ctx = context as unknown as ClientContext;
    if (ctx.conn === null) return [];
    return [
      ctx.outstanding === null
        ? { conn: ctx.conn, side: 'up', status: 'idle' }
        : { conn: ctx.conn, side: 'up', status: 'active', detail: `waits for ${ctx.outstanding}` },
    ];
  },
});
