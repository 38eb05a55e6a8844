import { and, or, setup } from 'xstate';
import { requestId } from '../ids.js';
import { delay, flag, timeout, whole } from '../params/fields.js';
import { z } from 'zod';
import { describeMachine } from './descriptor.js';
import { reaction } from './reaction.js';
import {
  CONNECTION_LOST,
  HTTP_GATEWAY_TIMEOUT,
  isIdempotent,
  METHODS,
  type Effect,
  type KernelVisibleContext,
  type Method,
  type TierEvent,
} from './vocabulary.js';

/**
 * One client connection's lifecycle (JMeter in the seed): HTTP/1.1 keep-alive,
 * one request at a time, no pipelining. When the server closes the connection
 * the client opens a new one for its next request, as HTTP clients do.
 *
 * An optional retry policy (off by default, as in JMeter): a request lost with
 * its connection, timed out, or answered 502/503/504 is sent again after a
 * backoff, if it is idempotent and retries remain; its outcome is recorded once.
 */
export interface ClientParams {
  /** How many requests this client sends over its life (the exploration bound). */
  requests: number;
  /** Give up on a request after this many ms (null: wait forever). */
  timeout: number | null;
  /** Close the connection after each answer and open a new one per request (default false: keep-alive). */
  closeAfterResponse?: boolean;
  /** Methods of its requests, in turn: request n uses `methods[(n - 1) % length]`. Default ['GET']. */
  methods?: readonly Method[];
  /** Times an idempotent request is sent again after a lost connection, a timeout or a 502/503/504. Default 0. */
  retries?: number;
  /** Wait before sending it again (ms). Default 0. */
  retryBackoff?: number;
}

export interface ClientContext extends KernelVisibleContext {
  index: number;
  params: ClientParams;
  sent: number;
  conn: string | null;
  outstanding: string | null;
  /** Retries spent on the outstanding request. */
  attempt: number;
}

export interface ClientInput {
  index: number;
  params: ClientParams;
}

type Ev<T extends TierEvent['type']> = Extract<TierEvent, { type: T }>;

/** Statuses a retrying client tries again on (the gateway and proxy errors). */
const RETRY_STATUSES = new Set([502, 503, 504]);

const methodOf = (context: ClientContext, n: number): Method => {
  const methods = context.params.methods ?? ['GET'];
  return methods[(n - 1) % methods.length]!;
};
const retryLeft = (context: ClientContext) =>
  context.outstanding !== null && context.attempt < (context.params.retries ?? 0) && isIdempotent(methodOf(context, context.sent));

/** An action that only emits one effect. */
const effect = (build: (context: ClientContext, event: TierEvent) => Effect) =>
  reaction<ClientContext>((context, event) => ({ context, effects: [build(context, event)] }));

/** An action that only updates the context. */
const update = (next: (context: ClientContext, event: TierEvent) => Partial<ClientContext>) =>
  reaction<ClientContext>((context, event) => ({ context: { ...context, ...next(context, event) }, effects: [] }));

/** Transitions for a connection that goes away under the outstanding request (CLOSE and RESET alike). */
const lostRequest = [
  { guard: and(['isOurConnection', 'mayRetry']), target: 'backoff', actions: ['disarmTimeout', 'announceRetry', 'forgetConnection', 'armRetry'] },
  { guard: 'isOurConnection', target: 'disconnected', actions: ['disarmTimeout', 'recordLostRequest', 'forgetRequest', 'forgetConnection'] },
] as const;

export const clientConnection = setup({
  types: {
    context: {} as ClientContext,
    events: {} as TierEvent,
    input: {} as ClientInput,
    emitted: {} as Effect,
  },
  actions: {
    adoptNewConnection: update((_, event) => ({ conn: event.nextConn })),
    openConnection: effect((_, event) => ({ type: 'open', conn: event.nextConn })),
    takeNextRequest: update((context) => ({
      sent: context.sent + 1,
      attempt: 0,
      outstanding: requestId('r', context.index, context.sent + 1),
    })),
    sendRequest: effect((context) => ({
      type: 'send',
      conn: context.conn!,
      to: 'up',
      msg: { kind: 'request', req: context.outstanding!, method: methodOf(context, context.sent) },
    })),
    armTimeout: effect((context) =>
      context.params.timeout === null ? { type: 'cancelTimer', key: 'timeout' } : { type: 'setTimer', key: 'timeout', after: context.params.timeout },
    ),
    disarmTimeout: effect(() => ({ type: 'cancelTimer', key: 'timeout' })),
    recordResponse: effect((_, event) => {
      const e = event as Ev<'RESPONSE'>;
      return { type: 'log', what: 'outcome', req: e.req, status: e.status, conn: e.conn };
    }),
    recordLostRequest: effect((context, event) => ({
      type: 'log',
      what: 'outcome',
      req: context.outstanding!,
      status: CONNECTION_LOST,
      conn: context.conn!,
      detail: event.type === 'RESET' ? 'connection reset' : 'connection closed',
    })),
    recordTimeout: effect((context) => ({
      type: 'log',
      what: 'timeout',
      req: context.outstanding!,
      status: HTTP_GATEWAY_TIMEOUT,
      conn: context.conn!,
      detail: 'client timeout',
    })),
    announceRetry: reaction<ClientContext>((context, event) => {
      const why =
        event.type === 'RESPONSE' ? `answered ${event.status}` : event.type === 'TIMER' ? 'client timeout' : event.type === 'RESET' ? 'connection reset' : 'connection closed';
      return {
        context: { ...context, attempt: context.attempt + 1 },
        effects: [{ type: 'log', what: 'retry', req: context.outstanding!, conn: context.conn ?? undefined, detail: `${why}; retry ${context.attempt + 1} of ${context.params.retries ?? 0}` }],
      };
    }),
    armRetry: effect((context) => ({ type: 'setTimer', key: 'retry', after: context.params.retryBackoff ?? 0 })),
    closeConnection: effect((context) => ({ type: 'close', conn: context.conn!, to: 'up' })),
    resetConnection: effect((context) => ({ type: 'reset', conn: context.conn!, to: 'up' })),
    forgetRequest: update(() => ({ outstanding: null })),
    forgetConnection: update(() => ({ conn: null })),
  },
  guards: {
    /** The schedule may make it send its next request. */
    mayAct: ({ context }) => context.sent < context.params.requests,
    mayRetry: ({ context }) => retryLeft(context),
    closesAfterResponse: ({ context }) => context.params.closeAfterResponse === true,
    isTimeoutTimer: ({ event }) => event.type === 'TIMER' && event.key === 'timeout',
    isRetryTimer: ({ event }) => event.type === 'TIMER' && event.key === 'retry',
    isOurConnection: ({ context, event }) => 'conn' in event && event.conn === context.conn,
    hasConnection: ({ context }) => context.conn !== null,
    answersOutstanding: ({ context, event }) => event.type === 'RESPONSE' && event.conn === context.conn && event.req === context.outstanding,
    retryableStatus: ({ event }) => event.type === 'RESPONSE' && RETRY_STATUSES.has(event.status),
    responseClosesConnection: ({ event }) => event.type === 'RESPONSE' && event.close,
  },
}).createMachine({
  id: 'clientConnection',
  context: ({ input }) => ({ index: input.index, params: input.params, sent: 0, conn: null, outstanding: null, attempt: 0, branching: {} }),
  initial: 'disconnected',
  states: {
    disconnected: {
      on: {
        ACT: {
          guard: 'mayAct',
          target: 'awaiting',
          actions: ['adoptNewConnection', 'openConnection', 'takeNextRequest', 'sendRequest', 'armTimeout'],
        },
      },
    },
    connected: {
      on: {
        ACT: { guard: 'mayAct', target: 'awaiting', actions: ['takeNextRequest', 'sendRequest', 'armTimeout'] },
        // The server closed an idle keep-alive connection: reconnect on the next request.
        CLOSE: { guard: 'isOurConnection', target: 'disconnected', actions: ['forgetConnection'] },
        RESET: { guard: 'isOurConnection', target: 'disconnected', actions: ['forgetConnection'] },
      },
    },
    awaiting: {
      on: {
        RESPONSE: [
          {
            guard: and(['answersOutstanding', 'retryableStatus', 'mayRetry', or(['responseClosesConnection', 'closesAfterResponse'])]),
            target: 'backoff',
            actions: ['disarmTimeout', 'announceRetry', 'closeConnection', 'forgetConnection', 'armRetry'],
          },
          { guard: and(['answersOutstanding', 'retryableStatus', 'mayRetry']), target: 'backoff', actions: ['disarmTimeout', 'announceRetry', 'armRetry'] },
          {
            guard: and(['answersOutstanding', or(['responseClosesConnection', 'closesAfterResponse'])]),
            target: 'disconnected',
            actions: ['disarmTimeout', 'recordResponse', 'forgetRequest', 'closeConnection', 'forgetConnection'],
          },
          { guard: 'answersOutstanding', target: 'connected', actions: ['disarmTimeout', 'recordResponse', 'forgetRequest'] },
        ],
        // The server closed or reset the connection under the outstanding request: it is lost (or retried).
        CLOSE: lostRequest,
        RESET: lostRequest,
        TIMER: [
          { guard: and(['isTimeoutTimer', 'mayRetry']), target: 'backoff', actions: ['announceRetry', 'resetConnection', 'forgetConnection', 'armRetry'] },
          { guard: 'isTimeoutTimer', target: 'disconnected', actions: ['recordTimeout', 'forgetRequest', 'resetConnection', 'forgetConnection'] },
        ],
      },
    },
    // Waiting to send the outstanding request again.
    backoff: {
      on: {
        TIMER: [
          { guard: and(['isRetryTimer', 'hasConnection']), target: 'awaiting', actions: ['sendRequest', 'armTimeout'] },
          { guard: 'isRetryTimer', target: 'awaiting', actions: ['adoptNewConnection', 'openConnection', 'sendRequest', 'armTimeout'] },
        ],
        CLOSE: { guard: 'isOurConnection', actions: ['forgetConnection'] },
        RESET: { guard: 'isOurConnection', actions: ['forgetConnection'] },
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
      methods: z
        .array(z.enum(METHODS as [Method, ...Method[]], { error: `expected one of: ${METHODS.join(', ')}` }), { error: 'expected a list of HTTP methods' })
        .min(1, { error: 'expected at least one method' })
        .max(16)
        .describe('Methods of its requests, in turn (request n uses the ((n - 1) mod length)-th). Whether a failed request may be sent again depends on it. Default [GET].'),
      retries: whole(0, 10, false).describe('Times an idempotent request is sent again after a lost connection, a timeout or a 502/503/504. Default 0 (JMeter).'),
      retryBackoff: delay('Wait before sending a request again. Default 0'),
    },
    // The check's bound.
    composed: ['requests'],
    defaults: { requests: 2, timeout: null },
    sources: {
      requests: { source: 'assumption', ref: "replaced by the check's bound on requests per client" },
      timeout: { source: 'doc', ref: 'JMeter HTTP Request sampler: response timeout empty by default, i.e. wait forever' },
      methods: { source: 'assumption', ref: 'GET, the seed names no method' },
      retries: { source: 'doc', ref: 'JMeter jmeter.properties: httpclient4.retrycount=0' },
      retryBackoff: { source: 'assumption', ref: 'no backoff unless a file gives one' },
    },
    required: [],
  },
  input: (params, at) => ({ index: at.copy, params: { ...params, requests: at.requests } }),
  ids: [{ path: 'index', role: 'ownCopy' }],
  counters: ['sent', 'attempt'],
  requestPrefix: () => 'r',
  parks: false,
  // One connection at a time: everything it does touches that connection and its own state.
  footprint: {},
  signature: (value, ctx) => `${String(value)}/${ctx.sent}/${ctx.outstanding === null}/${ctx.conn === null}/${ctx.attempt}`,
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
