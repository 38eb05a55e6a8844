import { and, setup } from 'xstate';
import { requestId } from '../ids.js';
import { delay, span, whole } from '../params/fields.js';
import { describeMachine } from './descriptor.js';
import { reaction } from './reaction.js';
import { CONNECTION_LOST, HTTP_GATEWAY_TIMEOUT, type Effect, type KernelVisibleContext, type TierEvent } from './vocabulary.js';

/**
 * A load balancer's health checker for one target (the NLB target group's
 * HTTP check; the seed's alive-check on port 8080). It starts when it first
 * acts, sends its first check one interval later, each on a new connection
 * closed after the answer, and the next one interval after the previous one
 * finished. A check succeeds on a 2xx or 3xx answer within its timeout.
 * After `unhealthyThreshold` failures in a row it tells its load balancer the
 * target is unhealthy, after `healthyThreshold` successes in a row healthy
 * again; the load balancer then routes (or stops routing) new flows to it.
 */
export interface HealthCheckerParams {
  /** Checks over its life (the exploration bound). */
  requests: number;
  /** A check not answered within this fails (ms). */
  timeout: number;
  /** Time between checks (ms); the first is one interval after it starts. */
  interval: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  /** The load balancer tier it reports to (null: nobody acts on its results), and its target there (0-based). */
  reportTo: string | null;
  target: number;
}

export interface HealthCheckerContext extends KernelVisibleContext {
  index: number;
  params: HealthCheckerParams;
  sent: number;
  conn: string | null;
  outstanding: string | null;
  /** Consecutive results of the same kind: > 0 successes, < 0 failures. */
  streak: number;
  /** What it last told its load balancer (targets start healthy). */
  healthy: boolean;
}

type Ctx = HealthCheckerContext;

/** Counts a check's result; when a threshold is crossed, tells the load balancer. */
function judge(ctx: Ctx, ok: boolean): { context: Ctx; effects: Effect[] } {
  const streak = ok ? Math.max(ctx.streak, 0) + 1 : Math.min(ctx.streak, 0) - 1;
  const p = ctx.params;
  const flips = ctx.healthy ? !ok && -streak >= p.unhealthyThreshold : ok && streak >= p.healthyThreshold;
  if (!flips) return { context: { ...ctx, streak }, effects: [] };
  const healthy = !ctx.healthy;
  const detail = `${healthy ? `${streak} checks passed` : `${-streak} checks failed`} in a row: target ${p.target + 1} ${healthy ? 'healthy' : 'unhealthy'}`;
  const effects: Effect[] = p.reportTo === null ? [] : [{ type: 'notify', to: p.reportTo, target: p.target, healthy, detail }];
  return { context: { ...ctx, streak, healthy }, effects };
}

const effect = (build: (context: Ctx, event: TierEvent) => Effect) => reaction<Ctx>((context, event) => ({ context, effects: [build(context, event)] }));

export const healthChecker = setup({
  types: { context: {} as Ctx, events: {} as TierEvent, input: {} as { index: number; params: HealthCheckerParams }, emitted: {} as Effect },
  actions: {
    // Every step leaves a trace event, so that traces read without gaps.
    announceStart: effect((context) => ({ type: 'log', what: 'start', detail: `first check in ${context.params.interval} ms` })),
    armPace: effect((context) => ({ type: 'setTimer', key: 'pace', after: context.params.interval })),
    sendCheck: reaction<Ctx>((context, event) => {
      const req = requestId('h', context.index, context.sent + 1);
      const conn = event.nextConn;
      return {
        context: { ...context, sent: context.sent + 1, outstanding: req, conn },
        effects: [
          { type: 'open', conn },
          { type: 'send', conn, to: 'up', msg: { kind: 'request', req, method: 'GET' } },
          { type: 'setTimer', key: 'timeout', after: context.params.timeout },
        ],
      };
    }),
    passed: reaction<Ctx>((context, event) => {
      const e = event as Extract<TierEvent, { type: 'RESPONSE' }>;
      const ok = e.status >= 200 && e.status < 400;
      const j = judge(context, ok);
      return {
        context: { ...j.context, outstanding: null, conn: null },
        effects: [
          { type: 'cancelTimer', key: 'timeout' },
          { type: 'log', what: 'outcome', req: e.req, status: e.status, conn: e.conn },
          { type: 'close', conn: e.conn, to: 'up' },
          ...j.effects,
        ],
      };
    }),
    lost: reaction<Ctx>((context, event) => {
      const j = judge(context, false);
      return {
        context: { ...j.context, outstanding: null, conn: null },
        effects: [
          { type: 'cancelTimer', key: 'timeout' },
          { type: 'log', what: 'outcome', req: context.outstanding!, status: CONNECTION_LOST, conn: context.conn!, detail: event.type === 'RESET' ? 'connection reset' : 'connection closed' },
          ...j.effects,
        ],
      };
    }),
    timedOut: reaction<Ctx>((context) => {
      const j = judge(context, false);
      return {
        context: { ...j.context, outstanding: null, conn: null },
        effects: [
          { type: 'log', what: 'timeout', req: context.outstanding!, status: HTTP_GATEWAY_TIMEOUT, conn: context.conn!, detail: 'health check timeout: a failed check' },
          { type: 'reset', conn: context.conn!, to: 'up' },
          ...j.effects,
        ],
      };
    }),
  },
  guards: {
    mayStart: ({ context }) => context.sent === 0 && context.params.requests > 0,
    checksLeft: ({ context }) => context.sent < context.params.requests,
    isPaceTimer: ({ event }) => event.type === 'TIMER' && event.key === 'pace',
    isTimeoutTimer: ({ event }) => event.type === 'TIMER' && event.key === 'timeout',
    isOurConnection: ({ context, event }) => 'conn' in event && event.conn === context.conn,
    answersOutstanding: ({ context, event }) => event.type === 'RESPONSE' && event.conn === context.conn && event.req === context.outstanding,
  },
}).createMachine({
  id: 'healthChecker',
  context: ({ input }) => ({ index: input.index, params: input.params, sent: 0, conn: null, outstanding: null, streak: 0, healthy: true, branching: {} }),
  initial: 'idle',
  states: {
    idle: { on: { ACT: { guard: 'mayStart', target: 'resting', actions: ['announceStart', 'armPace'] } } },
    // Between checks: its pace timer sends the next one on a new connection.
    resting: { on: { TIMER: { guard: 'isPaceTimer', target: 'checking', actions: 'sendCheck' } } },
    checking: {
      on: {
        RESPONSE: [
          { guard: and(['answersOutstanding', 'checksLeft']), target: 'resting', actions: ['passed', 'armPace'] },
          { guard: 'answersOutstanding', target: 'done', actions: 'passed' },
        ],
        CLOSE: [
          { guard: and(['isOurConnection', 'checksLeft']), target: 'resting', actions: ['lost', 'armPace'] },
          { guard: 'isOurConnection', target: 'done', actions: 'lost' },
        ],
        RESET: [
          { guard: and(['isOurConnection', 'checksLeft']), target: 'resting', actions: ['lost', 'armPace'] },
          { guard: 'isOurConnection', target: 'done', actions: 'lost' },
        ],
        TIMER: [
          { guard: and(['isTimeoutTimer', 'checksLeft']), target: 'resting', actions: ['timedOut', 'armPace'] },
          { guard: 'isTimeoutTimer', target: 'done', actions: 'timedOut' },
        ],
      },
    },
    done: {},
  },
});

export const healthCheckerDescriptor = describeMachine<HealthCheckerParams>()({
  kind: 'healthChecker',
  fileKind: 'healthChecker',
  about: "a load balancer's health checker for one target: a check every interval on a new connection; thresholds of failures and successes in a row mark the target unhealthy or healthy",
  role: 'probe',
  machine: healthChecker,
  params: {
    fields: {
      timeout: span('A check not answered within this fails'),
      interval: delay('Time between checks'),
      healthyThreshold: whole(1, 10, false).describe('Successes in a row that make an unhealthy target healthy again.'),
      unhealthyThreshold: whole(1, 10, false).describe('Failures in a row that make a healthy target unhealthy.'),
    },
    // Set from the topology's healthCheck: the bound on checks, the load balancer and the target it reports on.
    composed: ['requests', 'reportTo', 'target'],
    defaults: { requests: 1, timeout: 6_000, interval: 30_000, healthyThreshold: 5, unhealthyThreshold: 2, reportTo: null, target: 0 },
    sources: {
      timeout: { source: 'doc', ref: 'Elastic Load Balancing CreateTargetGroup: HealthCheckTimeoutSeconds 6 for HTTP health checks of a Network Load Balancer' },
      interval: { source: 'doc', ref: 'Elastic Load Balancing CreateTargetGroup: HealthCheckIntervalSeconds default 30' },
      healthyThreshold: { source: 'doc', ref: 'Elastic Load Balancing CreateTargetGroup: HealthyThresholdCount default 5' },
      unhealthyThreshold: { source: 'doc', ref: 'Elastic Load Balancing CreateTargetGroup: UnhealthyThresholdCount default 2' },
    },
    required: [],
  },
  input: (params, at) => ({ index: at.copy, params: { ...params, requests: at.requests } }),
  ids: [{ path: 'index', role: 'ownCopy' }],
  counters: ['sent', 'streak'],
  requestPrefix: () => 'h',
  parks: false,
  footprint: {},
  describeConnections: (context) => {
    const ctx = context as unknown as HealthCheckerContext;
    return ctx.conn === null ? [] : [{ conn: ctx.conn, side: 'up', status: 'active', detail: `check ${ctx.outstanding}` }];
  },
});
