import { and, assign, emit, setup } from 'xstate';
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
 */
export interface ClientParams {
  /** How many requests this client sends over its life (the exploration bound). */
  requests: number;
  /** Give up on a request after this many ms (null: wait forever). */
  timeout: number | null;
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

const effect = (build: (a: { context: ClientContext; event: TierEvent }) => Effect) =>
  emit(build as never) as never;

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
      outstanding: `r${context.index}.${context.sent + 1}`,
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
      detail: 'client timeout',
    })),
    closeConnection: effect(({ context }) => ({ type: 'close', conn: context.conn!, to: 'up' })),
    resetConnection: effect(({ context }) => ({ type: 'reset', conn: context.conn!, to: 'up' })),
    forgetRequest: assign({ outstanding: null }),
    forgetConnection: assign({ conn: null }),
  },
  guards: {
    hasRequestsLeft: ({ context }) => context.sent < context.params.requests,
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
        ACT: {
          guard: 'hasRequestsLeft',
          target: 'awaiting',
          actions: ['adoptNewConnection', 'openConnection', 'takeNextRequest', 'sendRequest', 'armTimeout'],
        },
      },
    },
    connected: {
      on: {
        ACT: {
          guard: 'hasRequestsLeft',
          target: 'awaiting',
          actions: ['takeNextRequest', 'sendRequest', 'armTimeout'],
        },
        // The server closed an idle keep-alive connection: reconnect on the next request.
        CLOSE: { guard: 'isOurConnection', target: 'disconnected', actions: ['forgetConnection'] },
        RESET: { guard: 'isOurConnection', target: 'disconnected', actions: ['forgetConnection'] },
      },
    },
    awaiting: {
      on: {
        RESPONSE: [
          {
            guard: and(['answersOutstanding', 'responseClosesConnection']),
            target: 'disconnected',
            actions: ['disarmTimeout', 'recordResponse', 'forgetRequest', 'closeConnection', 'forgetConnection'],
          },
          { guard: 'answersOutstanding', target: 'connected', actions: ['disarmTimeout', 'recordResponse', 'forgetRequest'] },
        ],
        CLOSE: {
          guard: 'isOurConnection',
          target: 'disconnected',
          actions: ['disarmTimeout', 'recordLostRequest', 'forgetRequest', 'forgetConnection'],
        },
        RESET: {
          guard: 'isOurConnection',
          target: 'disconnected',
          actions: ['disarmTimeout', 'recordLostRequest', 'forgetRequest', 'forgetConnection'],
        },
        TIMER: {
          target: 'disconnected',
          actions: ['recordTimeout', 'forgetRequest', 'resetConnection', 'forgetConnection'],
        },
      },
    },
  },
});
