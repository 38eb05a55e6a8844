import type { z } from 'zod';
import { tierOf } from '../../models/ids.js';
import { InputError } from '../../models/inputError.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Violation } from '../explore/property.js';
import type { Scenario } from '../explore/scenarios.js';
import { jsonShapeProblem } from '../io/boundedJson.js';
import { FileTooLargeError, formatBytes, readRegularText } from '../io/boundedRead.js';
import { composeSystem } from '../../models/system.js';
import type { TraceEvent } from '../kernel/events.js';
import type { SystemState } from '../kernel/state.js';
import { embeddedTopology } from '../topologyFile/embedded.js';
import { fallbackMessages, formatPath, formatProblems, problemsFromIssues, type DocPath, type FileProblem } from '../topologyFile/problems.js';
import { eventSchema, TRACE_FORMAT, TRACE_LIMITS, TRACE_VERSION, traceFields, windowEventSchema, windowTraceFields } from './schema.js';

export { TRACE_FORMAT, TRACE_LIMITS, TRACE_VERSION } from './schema.js';

/**
 * A saved run: enough to re-execute it exactly (topology, scenario, step
 * bound) and the events it produced, to compare against.
 */
export interface TraceFile {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** The topology as it was when the trace was made (replay refuses a topology that changed since). */
  topology: Topology;
  /** When the topology came from a file: that file and the SHA-256 of its bytes then (absent in older traces). */
  topologyFile?: { path: string; sha256: string };
  property: string | null;
  facet: string | null;
  /** The exploration seed that found it, when it came from `check`. */
  seed: number | null;
  scenario: Scenario;
  maxSteps: number;
  /** Replay stops after this step (the violating step of a counterexample). */
  stopAtStep: number;
  violation: Violation | null;
  /**
   * The state the schedule starts from, when not the topology's initial
   * state: a window cut from a simulation (`connmodel simulate
   * --trace-window`). Its steps count on from `start.steps`.
   */
  start?: SystemState;
  events: TraceEvent[];
}

export function traceToJson(trace: TraceFile): string {
  return `${JSON.stringify(trace, null, 1)}\n`;
}

/** Problems shown from the events before giving up on them (one bad event usually means many). */
const MAX_EVENT_PROBLEMS = 20;

const KEYS = ['format', 'version', 'topology', 'topologyFile', 'property', 'facet', 'seed', 'scenario', 'maxSteps', 'stopAtStep', 'violation', 'start', 'events'];

const TRACE_FORMAT_DOC = 'the format: schema/trace.schema.json in the connmodel package; its topology is checked as a topology file is, docs/topology-files.md';

/**
 * A file that is not a valid trace: every problem found, with its path in the
 * file; one problem is one line. The CLI prints it and exits 2.
 */
export class TraceFileError extends InputError {
  constructor(
    source: string,
    readonly problems: readonly FileProblem[],
  ) {
    const one = problems.length === 1 ? problems[0]! : null;
    super(
      one
        ? `${source}: not a valid trace: ${formatPath(one.path)}: ${one.message} (nothing was run or written; the format: schema/trace.schema.json)`
        : formatProblems(source, problems, { what: 'the trace', format: `${TRACE_FORMAT_DOC[0]!.toUpperCase()}${TRACE_FORMAT_DOC.slice(1)}` }),
    );
  }
}

function notATrace(path: string, what: string): never {
  throw new InputError(`${path}: not a connmodel trace: ${what}`);
}

/**
 * Reads a trace from its text, validating everything replay and diagrams
 * rely on: the format, the topology (as a topology file is validated), the
 * scenario's bounds, every event against the trace schema, and how they fit
 * together (steps and times in order, events at the topology's tiers).
 * Throws an InputError (a TraceFileError listing the problems) for anything else.
 */
export function parseTrace(text: string, path: string): TraceFile {
  const shape = jsonShapeProblem(text, TRACE_LIMITS);
  if (shape) notATrace(path, shape);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    notATrace(path, `invalid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) notATrace(path, 'expected a JSON object');
  const t = data as Record<string, unknown>;
  if (t.format !== TRACE_FORMAT) notATrace(path, `field 'format' must be '${TRACE_FORMAT}', found ${JSON.stringify(t.format)?.slice(0, 60) ?? 'nothing'}`);
  if (t.version !== TRACE_VERSION)
    notATrace(path, `field 'version' must be ${TRACE_VERSION} (the version this connmodel reads), found ${JSON.stringify(t.version)?.slice(0, 60) ?? 'nothing'}`);

  const problems: FileProblem[] = [];
  const problem = (at: DocPath, message: string) => problems.push({ source: path, path: at, message });
  for (const k of Object.keys(t)) if (!KEYS.includes(k)) problem([k], `unknown field; a trace has: ${KEYS.join(', ')}`);
  const zodProblems = (issues: readonly z.core.$ZodIssue[], prefix: DocPath) => problems.push(...problemsFromIssues(issues, path, prefix, () => []));
  // A simulation window (it has `start`) has its own bounds: every customer connection, steps counted on from the run's.
  const window = Object.hasOwn(t, 'start');
  for (const [key, schema] of Object.entries(window ? windowTraceFields : traceFields) as [string, z.ZodType][]) {
    if (!Object.hasOwn(t, key)) {
      if (!schema.safeParse(undefined).success) problem([key], 'missing');
      continue;
    }
    const r = schema.safeParse(t[key], { reportInput: true, error: fallbackMessages });
    if (!r.success) zodProblems(r.error.issues, [key]);
  }
  const topology = Object.hasOwn(t, 'topology') ? embeddedTopology(t.topology, path, ['topology']) : (problem(['topology'], 'missing'), null);
  if (topology) problems.push(...topology.problems);
  eventProblems(t.events, window, problem, zodProblems);
  if (problems.length === 0) coherenceProblems(t as unknown as TraceFile, topology!.topology!, problem);
  if (problems.length > 0) throw new TraceFileError(path, problems);
  return { ...(t as unknown as TraceFile), topology: topology!.topology! };
}

function eventProblems(
  events: unknown,
  window: boolean,
  problem: (at: DocPath, message: string) => void,
  zodProblems: (issues: readonly z.core.$ZodIssue[], prefix: DocPath) => void,
): void {
  const schema = window ? windowEventSchema : eventSchema;
  if (!Array.isArray(events)) return problem(['events'], events === undefined ? 'missing' : 'expected a list of events');
  if (events.length === 0) return problem(['events'], 'expected at least one event');
  if (events.length > TRACE_LIMITS.maxEvents) return problem(['events'], `expected at most ${TRACE_LIMITS.maxEvents} events, found ${events.length}`);
  let bad = 0;
  for (const [i, e] of events.entries()) {
    const r = schema.safeParse(e, { reportInput: true, error: fallbackMessages });
    if (r.success) continue;
    zodProblems(r.error.issues, ['events', i]);
    if (++bad >= MAX_EVENT_PROBLEMS) return problem(['events'], `stopped after ${MAX_EVENT_PROBLEMS} bad events`);
  }
}

/** What the schema cannot say: the parts of a valid-looking trace agree with each other. */
function coherenceProblems(t: TraceFile, topology: Topology, problem: (at: DocPath, message: string) => void): void {
  const tiers = new Set([...topology.tiers.map((x) => x.name), ...(topology.healthCheck ? [topology.healthCheck.name] : [])]);
  let prev: TraceEvent | undefined;
  for (const [i, e] of t.events.entries()) {
    const at = (field: string, message: string) => problem(['events', i, field], message);
    if (prev && e.step < prev.step) return at('step', `steps go back: ${e.step} after ${prev.step}`);
    if (prev && e.t < prev.t) return at('t', `time goes back: ${e.t} ms after ${prev.t} ms`);
    for (const f of ['at', 'peer'] as const) {
      const v = e[f];
      if (v !== undefined && !tiers.has(tierOf(v))) return at(f, `'${v}' is no instance of a tier of the trace's topology (${[...tiers].join(', ')})`);
    }
    if ((e.type === 'send' || e.type === 'recv') && e.msg === 'response' && e.status === undefined) return at('status', 'missing: a response has a status');
    prev = e;
  }
  const last = t.events.at(-1)!.step;
  if (t.start) startProblems(t, t.start, topology, problem);
  if (t.stopAtStep < last) problem(['stopAtStep'], `is ${t.stopAtStep}, before the last event's step ${last}`);
  if (t.stopAtStep > t.maxSteps) problem(['stopAtStep'], `is ${t.stopAtStep}, past maxSteps ${t.maxSteps}`);
  if (t.violation && t.violation.step > t.stopAtStep) problem(['violation', 'step'], `is ${t.violation.step}, past stopAtStep ${t.stopAtStep}`);
}

/**
 * A window's start state fits its run: the steps replayed stay within
 * TRACE_LIMITS.maxSteps and come after the start; its instances are exactly
 * those the run composes (one per client connection, so the file itself
 * bounds how many are composed); connections, messages and timers are at
 * those instances.
 */
function startProblems(t: TraceFile, start: SystemState, topology: Topology, problem: (at: DocPath, message: string) => void): void {
  const first = t.events[0]!.step;
  if (first <= start.steps) return problem(['events', 0, 'step'], `is ${first}, not after the start state's step ${start.steps}`);
  if (t.stopAtStep - start.steps > TRACE_LIMITS.maxSteps)
    return problem(['stopAtStep'], `is ${t.stopAtStep - start.steps} steps after the start state; a replay takes at most ${TRACE_LIMITS.maxSteps}`);
  const ids = Object.keys(start.instances);
  const clients = ids.filter((id) => tierOf(id) === topology.tiers[0]!.name).length;
  if (clients !== t.scenario.clients) return problem(['start', 'instances'], `holds ${clients} client connections, the scenario ${t.scenario.clients}`);
  let model;
  try {
    model = composeSystem(topology, { clients: t.scenario.clients, requests: t.scenario.requests });
  } catch (e) {
    return problem(['scenario'], e instanceof Error ? e.message : String(e));
  }
  const known = new Set(model.instances.map((i) => i.id));
  const missing = [...known].filter((id) => !Object.hasOwn(start.instances, id));
  const extra = ids.filter((id) => !known.has(id));
  if (missing.length > 0 || extra.length > 0)
    return problem(['start', 'instances'], `must be the run's instances: ${missing.length > 0 ? `missing ${missing.slice(0, 5).join(', ')}` : ''}${missing.length > 0 && extra.length > 0 ? '; ' : ''}${extra.length > 0 ? `not in the run ${extra.slice(0, 5).join(', ')}` : ''}`);
  for (const [id, c] of Object.entries(start.conns)) {
    if (c.id !== id) return problem(['start', 'conns', id, 'id'], `is '${c.id}', under '${id}'`);
    const stray = [...c.path, ...c.done].find((x) => !known.has(x));
    if (stray) return problem(['start', 'conns', id], `'${stray}' is no instance of the run`);
  }
  for (const [i, p] of start.pending.entries()) {
    if (!known.has(p.from) || !known.has(p.to)) return problem(['start', 'pending', i], `'${known.has(p.from) ? p.to : p.from}' is no instance of the run`);
    if (!Object.hasOwn(start.conns, p.conn)) return problem(['start', 'pending', i, 'conn'], `'${p.conn}' is not among the open connections`);
    if (p.earliest > p.latest) return problem(['start', 'pending', i], `earliest ${p.earliest} is after latest ${p.latest}`);
  }
  for (const [i, x] of start.timers.entries()) if (!known.has(x.instance)) return problem(['start', 'timers', i, 'instance'], `'${x.instance}' is no instance of the run`);
}

/** Reads and validates a trace file: a regular file of at most TRACE_LIMITS.maxBytes. */
export function readTrace(path: string): TraceFile {
  let text: string;
  try {
    text = readRegularText(path, { what: 'trace file', maxBytes: TRACE_LIMITS.maxBytes });
  } catch (e) {
    if (e instanceof FileTooLargeError) throw new InputError(`${path}: not a connmodel trace: it is larger than ${formatBytes(TRACE_LIMITS.maxBytes)}, the most a trace may be`);
    throw e;
  }
  return parseTrace(text, path);
}
