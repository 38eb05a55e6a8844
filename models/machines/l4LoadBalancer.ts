import { setup } from 'xstate';
import { flag, timeout } from '../params/fields.js';
import { describeMachine, type ConnectionView } from './descriptor.js';
import { closedFlows, flowOf, withFlow, withFlowClosed, withoutFlow, type Flow } from './l4LoadBalancer/flowTable.js';
import { eventOf, reaction } from './reaction.js';
import type { Effect, KernelVisibleContext, Side, TierEvent } from './vocabulary.js';

/**
 * An L4 load balancer (AWS NLB): pass-through, no multiplexing. Each TCP
 * connection is one flow; the flow's target is chosen when it opens (a
 * schedule choice: the flow hash is opaque to users) among the healthy
 * targets, and fixed for its life. A flow idle for `idleTimeout` is dropped
 * silently: neither end is told, and whichever side sends next on it gets a
 * reset. Its health checks tell it which targets are healthy (NOTIFY); a
 * client-side packet on a flow to an unhealthy target is answered with a
 * reset; when no target is healthy it fails open and uses them all.
 */
export interface L4LoadBalancerParams {
  /** Number of targets (instances); set by the topology, not by hand. */
  targets: number;
  idleTimeout: number | null;
  /** A FIN ends the flow at once (true), or the flow stays until its idle timeout (false). */
  finEndsFlow: boolean;
  /** Reset client-side packets on flows to a target that became unhealthy (NLB connection termination). */
  resetUnhealthyFlows: boolean;
}

export interface L4LoadBalancerContext extends KernelVisibleContext {
  params: L4LoadBalancerParams;
  flows: Flow[];
  /** Targets its health checks have marked unhealthy (0-based), in the order they were marked. */
  unhealthy: number[];
}

type Ctx = L4LoadBalancerContext;
const flowKey = (conn: string) => `flow:${conn}`;
const other = (side: Side): Side => (side === 'down' ? 'up' : 'down');

function armIdle(ctx: Ctx, conn: string): Effect[] {
  return ctx.params.idleTimeout === null ? [] : [{ type: 'setTimer', key: flowKey(conn), after: ctx.params.idleTimeout }];
}

/** The targets new flows may go to: the healthy ones, or all of them when none is (fail open). */
function routable(ctx: Ctx): number[] {
  const all = Array.from({ length: ctx.params.targets }, (_, k) => k);
  const healthy = all.filter((k) => !ctx.unhealthy.includes(k));
  return healthy.length > 0 ? healthy : all;
}

/** Whether a flow's target is unhealthy while some other target is healthy (not failing open). */
function cutOff(ctx: Ctx, flow: Flow): boolean {
  return ctx.params.resetUnhealthyFlows && ctx.unhealthy.includes(flow.target) && ctx.unhealthy.length < ctx.params.targets;
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
      const targets = routable(ctx);
      const target = targets[e.pick % targets.length]!;
      return {
        context: { ...ctx, flows: withFlow(ctx.flows, { conn: e.conn, target }) },
        effects: [{ type: 'passThrough', conn: e.conn, target }, ...armIdle(ctx, e.conn)],
      };
    }),
    forwardMessage: reaction<Ctx>((ctx, event) => {
      if (event.type !== 'REQUEST' && event.type !== 'RESPONSE') throw new Error(`forwardMessage: ${event.type}`);
      const msg =
        event.type === 'REQUEST'
          ? ({ kind: 'request', req: event.req, method: event.method } as const)
          : ({ kind: 'response', req: event.req, status: event.status, close: event.close } as const);
      return {
        context: ctx,
        effects: [{ type: 'send', conn: event.conn, to: other(event.side), msg }, ...armIdle(ctx, event.conn)],
      };
    }),
    forwardClose: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'CLOSE');
      const effects: Effect[] = [{ type: 'close', conn: e.conn, to: other(e.side) }];
      if (ctx.params.finEndsFlow)
        return { context: { ...ctx, flows: withoutFlow(ctx.flows, e.conn) }, effects: [{ type: 'cancelTimer', key: flowKey(e.conn) }, ...effects] };
      // The flow stays in the table until it idles out.
      const flows = withFlowClosed(ctx.flows, e.conn);
      return { context: { ...ctx, flows }, effects: [...effects, ...armIdle(ctx, e.conn)] };
    }),
    forwardReset: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'RESET');
      return {
        context: { ...ctx, flows: withoutFlow(ctx.flows, e.conn) },
        effects: [
          { type: 'cancelTimer', key: flowKey(e.conn) },
          e.refused ? { type: 'reset', conn: e.conn, to: other(e.side), refused: true } : { type: 'reset', conn: e.conn, to: other(e.side) },
        ],
      };
    }),
    resetUnhealthyFlow: reaction<Ctx>((ctx, event) => {
      if (!('conn' in event) || !('side' in event)) throw new Error(`resetUnhealthyFlow: ${event.type}`);
      const flow = flowOf(ctx.flows, event.conn)!;
      return {
        context: { ...ctx, flows: withoutFlow(ctx.flows, flow.conn) },
        effects: [
          { type: 'cancelTimer', key: flowKey(event.conn) },
          { type: 'reset', conn: event.conn, to: 'down', detail: `target ${flow.target + 1} is unhealthy` },
          { type: 'reset', conn: event.conn, to: 'up', detail: `target ${flow.target + 1} is unhealthy` },
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
        context: { ...ctx, flows: withoutFlow(ctx.flows, conn) },
        effects: [{ type: 'log', what: 'expire', conn, detail: `flow idle ${ctx.params.idleTimeout} ms, dropped silently` }],
      };
    }),
    recordHealth: reaction<Ctx>((ctx, event) => {
      const e = eventOf(event, 'NOTIFY');
      const was = !ctx.unhealthy.includes(e.target);
      const unhealthy = e.healthy ? ctx.unhealthy.filter((k) => k !== e.target) : was ? [...ctx.unhealthy, e.target] : ctx.unhealthy;
      const next = { ...ctx, unhealthy };
      const open = unhealthy.length === ctx.params.targets ? '; every target unhealthy: failing open, new flows go to all targets' : '';
      return {
        context: next,
        effects: [{ type: 'log', what: 'health', detail: `target ${e.target + 1} ${e.healthy ? 'healthy' : 'unhealthy'} (reported by ${e.from})${open}` }],
      };
    }),
  },
  guards: {
    hasFlow: ({ context, event }) => 'conn' in event && flowOf(context.flows, event.conn) !== undefined,
    /** A client-side packet on a flow whose target its health checks pulled. */
    flowCutOff: ({ context, event }) => {
      if (!('conn' in event) || !('side' in event) || event.side !== 'down' || context.unhealthy.length === 0) return false;
      const flow = flowOf(context.flows, event.conn);
      return flow !== undefined && cutOff(context, flow);
    },
  },
}).createMachine({
  id: 'l4LoadBalancer',
  context: ({ input }) => ({ params: input.params, flows: [], unhealthy: [], branching: { CONNECT: input.params.targets } }),
  initial: 'forwarding',
  states: {
    forwarding: {
      on: {
        CONNECT: { actions: 'openFlow' },
        REQUEST: [{ guard: 'flowCutOff', actions: 'resetUnhealthyFlow' }, { guard: 'hasFlow', actions: 'forwardMessage' }, { actions: 'resetUnknownFlow' }],
        RESPONSE: [{ guard: 'hasFlow', actions: 'forwardMessage' }, { actions: 'resetUnknownFlow' }],
        CLOSE: [{ guard: 'hasFlow', actions: 'forwardClose' }, { actions: 'resetUnknownFlow' }],
        // An RST on an unknown flow is read and dropped: nobody is left to tell.
        RESET: [{ guard: 'hasFlow', actions: 'forwardReset' }, { actions: 'dropStrayReset' }],
        TIMER: { actions: 'expireFlow' },
        NOTIFY: { actions: 'recordHealth' },
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
      finEndsFlow: flag('A FIN ends the flow at once (true), or the flow stays in the table until its idle timeout (false).'),
      resetUnhealthyFlows: flag(
        'Answer client-side packets on a flow to a target its health checks marked unhealthy with a reset (NLB: yes, unless every target is unhealthy and it fails open).',
      ),
    },
    // Its targets are the topology's instances.
    composed: ['targets'],
    defaults: { targets: 1, idleTimeout: null, finEndsFlow: true, resetUnhealthyFlows: true },
    sources: {
      targets: { source: 'assumption', ref: "set from the topology's instances" },
      idleTimeout: { source: 'assumption', ref: 'no idle timeout unless a preset or file gives one' },
      finEndsFlow: { source: 'assumption', ref: 'a flow ends with its connection unless a preset says otherwise' },
      resetUnhealthyFlows: { source: 'assumption', ref: 'as the NLB does' },
    },
    required: [],
  },
  settle: (params, topology) => ({ ...params, targets: topology.instances }),
  input: (params, at) => ({ params: { ...params, targets: at.instances } }),
  ids: [
    { path: 'flows[].target', role: 'instanceIndex' },
    { path: 'unhealthy[]', role: 'instanceIndex' },
  ],
  counters: [],
  parks: false,
  // Each flow is on its own; the flow list is appended to by CONNECT, and health changes touch every flow.
  footprint: { RESPONSE: 'connection', CLOSE: 'connection', RESET: 'connection', TIMER: 'connection' },
  closesIdle: (key) => key.startsWith('flow:'),
  brief: () => 'L4',
  // A flow is forwarded without reading requests: open, on both sides at once.
  countConnections: (context) => {
    const flows = (context as unknown as L4LoadBalancerContext).flows;
    const closed = closedFlows(flows);
    return { 'through.open': flows.length - closed, 'through.idle': closed };
  },
  describeConnections: (context, options) =>
    (context as unknown as L4LoadBalancerContext).flows.map((f): ConnectionView => {
      const status = f.closed ? 'idle' : 'open';
      if (options?.details === false) return { conn: f.conn, side: 'through', status };
      return { conn: f.conn, side: 'through', status, detail: f.closed ? `to target ${f.target + 1}; closed, kept until it idles out` : `to target ${f.target + 1}` };
    }),
});
