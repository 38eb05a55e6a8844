import { z } from 'zod';
import { MAX_BRANCHES } from '../../models/params/fields.js';
import { machineDescriptors } from '../../models/machines/index.js';
import { METHODS } from '../../models/machines/vocabulary.js';
import type { TraceEventType } from '../kernel/events.js';
import { BIAS_STEPS } from '../explore/tail.js';

/**
 * The trace file format as zod schemas: what `readTrace` validates and what
 * schema/trace.schema.json (generated, `npm run schema`) publishes. The
 * topology a trace carries is checked by the topology-file loader
 * (src/topologyFile/embedded.ts), with the same fields and bounds as a file.
 */

export const TRACE_FORMAT = 'connmodel-trace';
export const TRACE_VERSION = 1;

/** What a trace may hold: far above any real one (the committed ones are under 140 KB and 710 events), far below harm. */
export const TRACE_LIMITS = {
  /** Bytes of the file, counted as read. */
  maxBytes: 16 * 2 ** 20,
  /** Nesting of objects and arrays (a trace nests 5 deep). */
  maxDepth: 32,
  /** Objects and arrays in all, checked before parsing. */
  maxContainers: 500_000,
  /** Kernel steps a run may take (`check --clients 64 --requests 1000` explores about 2 million). */
  maxSteps: 5_000_000,
  /** Events in a trace. */
  maxEvents: 500_000,
  /** Most client connections and requests per client in a scenario: what `check --clients` and `--requests` allow. */
  clients: MAX_BRANCHES,
  requests: 1000,
  /** Characters of a violation's message (the longest any property writes is about 500). */
  message: 20_000,
} as const;

/**
 * A window cut from a simulation (`connmodel simulate --trace-window`): its
 * run composes every customer connection and unbounded requests, and its
 * steps count on from the simulation's, so those bounds are its own; the
 * steps a replay takes (from the window's start) stay under `maxSteps`.
 */
export const WINDOW_LIMITS = {
  /** Client connections composed (customers × connections each; `start.instances` must name each). */
  clients: 10_000_000,
  /** Requests per client connection: unbounded in a simulation (src/simulate/runTopology.ts). */
  requests: 1_000_000_000,
  /** Step numbers and times: anything a run can reach. */
  step: Number.MAX_SAFE_INTEGER,
} as const;

const whole = (min: number, max: number, what = 'a whole number') => {
  const error = max === Number.MAX_SAFE_INTEGER ? `expected ${what}, at least ${min}` : `expected ${what} from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const text = (max: number, what: string) => z.string({ error: `expected ${what}` }).max(max, { error: `expected ${what} of at most ${max} characters` });
const pattern = (re: RegExp, what: string) => z.string({ error: `expected ${what}` }).regex(re, { error: `expected ${what}` });

const TIER = '[A-Za-z][A-Za-z0-9_-]{0,31}';
/** `gateway`, `connQueue.2`, `client.1` (models/ids.ts). */
const instance = pattern(new RegExp(`^${TIER}(\\.[1-9][0-9]{0,6})?$`), 'an instance id (gateway, connQueue.2)');
/** `gateway>nlb#3`. */
const connection = pattern(new RegExp(`^${TIER}>${TIER}#[1-9][0-9]{0,8}$`), 'a connection id (gateway>nlb#3)');
/** `r1.2`, `h2.1`. */
const request = pattern(/^[a-z]{1,16}[0-9]{1,7}\.[0-9]{1,10}$/, 'a request id (r1.2)');

export const EVENT_TYPES = [
  'connect', 'accept', 'send', 'recv', 'close', 'closed', 'reset', 'aborted', 'timer',
  'queue', 'activate', 'expire', 'timeout', 'idle-close', 'max-requests', 'route', 'outcome', 'abandon', 'retry', 'health', 'start',
  'notify', 'throttle',
] as const satisfies readonly TraceEventType[];

/** The fields an event of each type always has: what the readable description of it needs. */
const REQUIRED: Record<TraceEventType, readonly string[]> = {
  connect: ['peer', 'conn'],
  accept: ['peer', 'conn'],
  send: ['peer', 'msg', 'req'],
  recv: ['msg', 'req'],
  close: ['conn'],
  closed: ['peer', 'conn'],
  reset: ['conn'],
  aborted: ['peer', 'conn'],
  timer: ['key'],
  queue: ['conn'],
  activate: ['conn'],
  expire: ['conn'],
  timeout: ['req', 'status'],
  'idle-close': ['conn'],
  'max-requests': ['conn'],
  route: ['req', 'detail'],
  outcome: ['req', 'status'],
  abandon: ['req'],
  retry: ['req', 'detail'],
  health: ['detail'],
  start: [],
  notify: ['peer'],
  throttle: ['detail'],
};

const instanceField = instance.meta({ id: 'instance', description: 'An instance: where it happened, or the other end.' });
const connectionField = connection.meta({ id: 'connection', description: 'A connection: the one it happened on, or the client connection a request was first sent on.' });

/** Each field once, shared by every event type (one definition each in the JSON Schema). */
const eventFields = {
  step: whole(1, TRACE_LIMITS.maxSteps).meta({ id: 'step', description: 'The kernel step that produced it (1-based).' }),
  /** A window's steps count on from the simulation's (see WINDOW_LIMITS). */
  windowStep: whole(1, WINDOW_LIMITS.step),
  t: whole(0, Number.MAX_SAFE_INTEGER).meta({ id: 'time', description: 'Model time in ms.' }),
  at: instanceField,
  peer: instanceField,
  conn: connectionField,
  msg: z.enum(['request', 'response'], { error: 'expected request or response' }).meta({ id: 'message' }),
  req: request.meta({ id: 'request', description: 'The request.' }),
  method: z.enum(METHODS as [string, ...string[]], { error: `expected an HTTP method: ${METHODS.join(', ')}` }).meta({ id: 'method', description: "A request's HTTP method." }),
  origin: connectionField,
  status: whole(0, 999, 'a status code').meta({ id: 'status', description: 'HTTP status (0: no response).' }),
  close: z.literal(true, { error: 'expected true' }).meta({ id: 'connectionClose', description: 'The response carries `Connection: close`.' }),
  key: text(200, 'a timer key').meta({ id: 'timerKey', description: 'The timer.' }),
  detail: text(1000, 'a short text').meta({ id: 'detail', description: 'Why, in a few words.' }),
};
type EventField = Exclude<keyof typeof eventFields, 'step' | 'windowStep' | 't' | 'at'>;

/** One event of one type: its own required fields, the others optional. */
function eventOf(type: TraceEventType, step: z.ZodType) {
  const shape: Record<string, z.ZodType> = { step, t: eventFields.t, type: z.literal(type), at: eventFields.at };
  for (const [k, s] of Object.entries(eventFields) as [keyof typeof eventFields, z.ZodType][])
    if (k !== 'step' && k !== 'windowStep' && k !== 't' && k !== 'at') shape[k] = REQUIRED[type].includes(k as EventField) ? s : s.optional();
  return z.strictObject(shape).describe(`A '${type}' event`);
}

const eventsOf = (step: z.ZodType) =>
  z.discriminatedUnion('type', EVENT_TYPES.map((type) => eventOf(type, step)) as unknown as [ReturnType<typeof eventOf>, ...ReturnType<typeof eventOf>[]], {
    error: `expected an event: an object whose type is one of ${EVENT_TYPES.join(', ')}`,
  });

export const eventSchema = eventsOf(eventFields.step);
/** An event of a simulation window: the same, its step numbered on from the simulation's. */
export const windowEventSchema = eventsOf(eventFields.windowStep);

const scenarioOf = (limits: { clients: number; requests: number }) => z
  .strictObject({
    clients: whole(1, limits.clients).describe('Client connections.'),
    requests: whole(1, limits.requests).describe('Requests each client sends.'),
    schedule: z
      .array(
        z.strictObject({
          next: whole(0, 1_000_000).describe('Which enabled occurrence (modulo their number).'),
          delay: whole(0, 2 ** 31 - 1).describe('How long after its earliest time (ms).'),
          pick: whole(0, MAX_BRANCHES - 1).describe('Which branch (modulo their number).'),
        }),
        { error: 'expected a list of choices {next, delay, pick}' },
      )
      .max(TRACE_LIMITS.maxSteps, { error: `expected at most ${TRACE_LIMITS.maxSteps} choices` })
      .describe('The choices, one per step; after them the run goes on with default choices, or with the seeded random choices of `tail`.'),
    tail: z
      .strictObject({
        seed: whole(0, 2 ** 32 - 1).describe('Seed of the random choices after the schedule.'),
        next: whole(0, BIAS_STEPS).describe('Chance, in quarters, that a step takes another occurrence than the earliest.'),
        delay: whole(0, BIAS_STEPS).describe('Chance, in quarters, that a step waits before its occurrence.'),
        pick: whole(0, BIAS_STEPS).describe('Chance, in quarters, that a step with branches takes another than the first.'),
        tiers: whole(0, 2 ** 31 - 1)
          .optional()
          .describe('Which tiers take other branches (bit i: the tier at index i of the pipeline); absent: every tier.'),
        rotate: z.boolean().optional().describe('Another branch is the next in rotation at its tier, not a random one.'),
      })
      .optional()
      .describe('Seeded random choices after the schedule (src/explore/tail.ts); absent: default choices.'),
  })
  .describe('What the run was made of.');

export const scenarioSchema = scenarioOf(TRACE_LIMITS);

export const violationSchema = z
  .strictObject({
    property: text(64, 'a property name'),
    facet: text(200, 'a facet').nullable(),
    message: text(TRACE_LIMITS.message, 'a message'),
    step: whole(1, TRACE_LIMITS.maxSteps),
    t: whole(0, Number.MAX_SAFE_INTEGER),
  })
  .describe('The violation (or, for a reachability property, the witness) the run ends with.');

export const topologyFileSchema = z
  .strictObject({
    path: text(4096, 'a file path').min(1, { error: 'expected a file path' }).describe('The topology file as it was given (--topology FILE).'),
    sha256: pattern(/^[0-9a-f]{64}$/, 'a SHA-256 in hex (64 characters)').describe('The SHA-256 of its bytes when the trace was made.'),
  })
  .describe('Present when the topology came from a file: replay warns when that file has changed since.');

/** How the topology inside a trace looks, for the JSON Schema; the loader checks its fields' values. */
function topologyShape() {
  const name = z.string();
  return z
    .strictObject({
      name,
      description: z.string(),
      tiers: z
        .array(
          z.strictObject({
            name,
            kind: z.enum(machineDescriptors().map((d) => d.kind) as [string, ...string[]]),
            perInstance: z.boolean(),
            participant: name,
            params: z.record(z.string(), z.unknown()).describe("The machine kind's parameters, durations in ms (schema/topology.schema.json gives each)."),
            about: z.string().optional(),
            sources: z
              .record(z.string(), z.strictObject({ source: z.enum(['seed', 'doc', 'assumption', 'choice']), ref: z.string() }))
              .optional()
              .describe('Where each parameter value comes from (seed, doc, assumption, or the topology\'s own choice).'),
          }),
        )
        .min(2),
      instances: z.number().int(),
      instanceParticipant: name,
      latency: z.tuple([z.number(), z.number()]),
      bounds: z.strictObject({ clients: z.number().int(), requests: z.number().int() }),
      healthCheck: z.record(z.string(), z.unknown()).optional(),
      flowBound: z.number().int().optional(),
      mitigation: z.strictObject({ base: z.string(), change: z.string() }).optional(),
    })
    .describe('The topology as it was when the trace was made: checked as a topology file is (docs/topology-files.md), with machine kinds and parameters under `params`.');
}

const wire = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('syn') }),
    z.strictObject({ kind: z.literal('request'), req: request, method: eventFields.method }),
    z.strictObject({ kind: z.literal('response'), req: request, status: eventFields.status, close: z.boolean() }),
    z.strictObject({ kind: z.literal('fin') }),
    z.strictObject({ kind: z.literal('rst'), refused: z.literal(true).optional() }),
  ],
  { error: 'expected a wire message: syn, request, response, fin or rst' },
);
const time = whole(0, WINDOW_LIMITS.step);

/**
 * The state a simulation window starts from (src/kernel/state.ts), as the
 * kernel holds it. Machine contexts are each machine's own (its descriptor
 * says what they hold); replay steps the machines from them.
 */
export const startSchema = z
  .strictObject({
    clock: time.describe('Model time in ms when the window opened.'),
    steps: time.describe('Kernel steps taken before it; the window\'s steps count on from here.'),
    seq: time.describe('Last message sequence number.'),
    instances: z
      .record(instance, z.strictObject({ value: z.union([z.string(), z.record(z.string(), z.unknown())]), context: z.record(z.string(), z.unknown()) }))
      .describe('Every instance of the run: its machine state and context.'),
    conns: z
      .record(connection, z.strictObject({ id: connection, path: z.array(instance).min(2).max(64), done: z.array(instance).max(64) }))
      .describe('Connections open: the instances each runs through, and those done with it.'),
    pending: z
      .array(z.strictObject({ seq: time, conn: connection, from: instance, to: instance, wire, earliest: time, latest: time }))
      .describe('Messages on the wire, each deliverable in [earliest, latest].'),
    timers: z.array(z.strictObject({ instance, key: eventFields.key, at: time })).describe('Timers set.'),
    counters: z.record(z.string().max(80), whole(0, WINDOW_LIMITS.step)).describe('Last connection number used per boundary.'),
    origins: z.record(request, connection).describe('The client connection each request was first sent on.'),
  })
  .describe('A simulation window only (`connmodel simulate --trace-window`): the state the schedule starts from instead of the initial one.');

/** The fields of a trace besides its topology and events, which are checked on their own. */
export const traceFields = {
  format: z.literal(TRACE_FORMAT, { error: `expected '${TRACE_FORMAT}'` }),
  version: z.literal(TRACE_VERSION, { error: `expected ${TRACE_VERSION} (the only version of the format)` }),
  topologyFile: topologyFileSchema.optional(),
  property: text(64, 'a property name').nullable().describe('The property checked, or null.'),
  facet: text(200, 'a facet').nullable().describe('The facet (one-to-one: the tier boundary), or null.'),
  seed: whole(-(2 ** 31), 2 ** 31 - 1).nullable().describe('The exploration seed that found it, or null.'),
  scenario: scenarioSchema,
  maxSteps: whole(1, TRACE_LIMITS.maxSteps).describe('The step bound of the run.'),
  stopAtStep: whole(1, TRACE_LIMITS.maxSteps).describe('Replay stops after this step (a counterexample: the violating step).'),
  violation: violationSchema.nullable(),
};

/** The same for a simulation window (a trace with `start`): its own bounds (WINDOW_LIMITS). */
export const windowTraceFields = {
  ...traceFields,
  scenario: scenarioOf(WINDOW_LIMITS),
  maxSteps: whole(1, WINDOW_LIMITS.step).describe('The step bound of the run.'),
  stopAtStep: whole(1, WINDOW_LIMITS.step).describe('Replay stops after this step.'),
  start: startSchema,
};

/** The whole file, for the JSON Schema. */
export const traceJsonSchemaSource = () =>
  z
    .strictObject({
      format: traceFields.format,
      version: traceFields.version,
      topology: topologyShape(),
      ...Object.fromEntries(Object.entries(traceFields).filter(([k]) => k !== 'format' && k !== 'version')),
      start: startSchema.optional(),
      events: z.array(eventSchema).min(1).max(TRACE_LIMITS.maxEvents).describe('What happened, in order; replay compares every field.'),
    })
    .describe('A connmodel trace: a saved run that `connmodel replay` re-executes and compares event by event.');
