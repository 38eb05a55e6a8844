import { setup } from 'xstate';
import { timeout } from '../params/fields.js';
import { describeMachine } from './descriptor.js';
import { eventOf, reaction } from './reaction.js';
import type { Effect, KernelVisibleContext, Side, TierEvent } from './vocabulary.js';

/**
 * An L4 load balancer (AWS NLB): pass-through, no multiplexing. Each TCP
 * connection is one flow; the flow's target is chosen when it opens (a
 * schedule choice: the flow hash is opaque to users) and fixed for its life.
 * A flow idle for `idleTimeout` is dropped silently: neither end is told, and
 * whichever side sends next on it gets a reset.
 */
export interface L4LoadBalancerParams {
  /** Number of targets (instances); set by the topology, not by hand. */
  targets: number;
  idleTimeout: number | null;
}

interface Flow {
  conn: string;
  target: number;
}

export interface L4LoadBalancerContext extends KernelVisibleContext {
  params: L4LoadBalancerParams;
  flows: Flow[];
}

type Ctx = L4LoadBalancerContext;
const flowKey = (conn: string) => `flow:${conn}`;
const other = (side: Side): Side => (side === 'down' ? 'up' : 'down');

function armIdle(ctx: Ctx, conn: string): Effect[] {
  return ctx.params.idleTimeout === null ? [] : [{ type: 'setTimer', key: flowKey(conn), after: ctx.params.idleTimeout }];
}

export const l4LoadBalancer = setup({
  types: {
    context: {} as L4LoadBalancerContext,
    events: {} as TierEvent,
    input: {} as { params: L4LoadBalancerParams },
    emitted: {} as Effect,
  },
  actions: {
    openFlow: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'CONNECT');
      const target = e.pick % ctx.params.targets;
      return {
        context: { ...ctx, flows: [...ctx.flows, { conn: e.conn, target }] },
        effects: [{ type: 'passThrough', conn: e.conn, target }, ...armIdle(ctx, e.conn)],
      };
    }),
    forwardMessage: reaction<Ctx>((ctx, event) => {
      if (event.type !== 'REQUEST' && event.type !== 'RESPONSE') throw new Error(`forwardMessage: ${event.type}`);
      const msg =
        event.type === 'REQUEST'
          ? ({ kind: 'request', req: event.req } as const)
          : ({ kind: 'response', req: event.req, status: event.status, close: event.close } as const);
      return {
        context: ctx,
        effects: [{ type: 'send', conn: event.conn, to: other(event.side), msg }, ...armIdle(ctx, event.conn)],
      };
    }),
    forwardTeardown: reaction<Ctx>((ctx, event) => {
      if (event.type !== 'CLOSE' && event.type !== 'RESET') throw new Error(`forwardTeardown: ${event.type}`);
      return {
        context: { ...ctx, flows: ctx.flows.filter((f) => f.conn !== event.conn) },
        effects: [
          { type: 'cancelTimer', key: flowKey(event.conn) },
          { type: event.type === 'CLOSE' ? 'close' : 'reset', conn: event.conn, to: other(event.side) },
        ],
      };
    }),
    resetUnknownFlow: reaction<Ctx>((ctx, event) => {
      if (!('conn' in event) || !('side' in event)) throw new Error(`resetUnknownFlow: ${event.type}`);
      return {
        context: ctx,
        effects: [{ type: 'reset', conn: event.conn, to: event.side, detail: 'no flow: it expired at the load balancer' }],
      };
    }),
    // Needs an effect: XState's can() treats a transition with no actions and no target as
    // not enabled, and the kernel would then leave the RST on the wire forever.
    dropStrayReset: reaction<Ctx>((ctx, event) => ({
      context: ctx,
      effects: [{ type: 'log', what: 'expire', conn: 'conn' in event ? event.conn : undefined, detail: 'reset on a flow that no longer exists: dropped' }],
    })),
    expireFlow: reaction<Ctx>((ctx, event) => {
      const conn = eventOf(event, 'TIMER').key.slice('flow:'.length);
      return {
        context: { ...ctx, flows: ctx.flows.filter((f) => f.conn !== conn) },
        effects: [{ type: 'log', what: 'expire', conn, detail: `flow idle ${ctx.params.idleTimeout} ms, dropped silently` }],
      };
    }),
  },
  guards: {
    hasFlow: ({ context, event }) => 'conn' in event && context.flows.some((f) => f.conn === event.conn),
  },
}).createMachine({
  id: 'l4LoadBalancer',
  context: ({ input }) => ({ params: input.params, flows: [], branching: { CONNECT: input.params.targets } }),
  initial: 'forwarding',
  states: {
    forwarding: {
      on: {
        CONNECT: { actions: 'openFlow' },
        REQUEST: [{ guard: 'hasFlow', actions: 'forwardMessage' }, { actions: 'resetUnknownFlow' }],
        RESPONSE: [{ guard: 'hasFlow', actions: 'forwardMessage' }, { actions: 'resetUnknownFlow' }],
        CLOSE: [{ guard: 'hasFlow', actions: 'forwardTeardown' }, { actions: 'resetUnknownFlow' }],
        // An RST on an unknown flow is read and dropped: nobody is left to tell.
        RESET: [{ guard: 'hasFlow', actions: 'forwardTeardown' }, { actions: 'dropStrayReset' }],
        TIMER: { actions: 'expireFlow' },
      },
    },
  },
});

export const l4LoadBalancerDescriptor = describeMachine<L4LoadBalancerParams>()({
  kind: 'l4LoadBalancer',
  fileKind: 'loadBalancer',
  about: 'an L4 load balancer (NLB): passes each connection through to one target, chosen when it opens; one flow per connection, no multiplexing',
  role: 'passThrough',
  machine: l4LoadBalancer,
  params: {
    fields: {
      idleTimeout: timeout('Drop a flow idle this long, silently: whichever side sends next on it gets a reset (NLB: 350s)'),
    },
    // Its targets are the topology's instances.
    composed: ['targets'],
    defaults: { targets: 1, idleTimeout: null },
    sources: {
      targets: { source: 'assumption', ref: "set from the topology's instances" },
      idleTimeout: { source: 'assumption', ref: 'no idle timeout unless a preset or file gives one' },
    },
    required: [],
  },
  settle: (params, topology) => ({ ...params, targets: topology.instances }),
  input: (params, at) => ({ params: { ...params, targets: at.instances } }),
  ids: [{ path: 'flows[].target', role: 'instanceIndex' }],
  counters: [],
  parks: false,
  // Each flow is on its own: an event touches only its flow (and the flow list: CONNECT appends to it).
  footprint: { REQUEST: 'connection', RESPONSE: 'connection', CLOSE: 'connection', RESET: 'connection', TIMER: 'connection' },
  closesIdle: (key) => key.startsWith('flow:'),
  brief: () => 'L4',
  // A flow is forwarded without reading requests: open, on both sides at once.
  describeConnections: (context) =>
    (context as unknown as L4LoadBalancerContext).flows.map((f) => ({ conn: f.conn, side: 'through', status: 'open', detail: `to target ${f.target + 1}` })),
});
