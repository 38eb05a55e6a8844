import { readFileSync } from 'node:fs';
import { InputError } from '../../models/inputError.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Violation } from '../explore/property.js';
import type { Scenario } from '../explore/scenarios.js';
import type { TraceEvent } from '../kernel/events.js';

export const TRACE_FORMAT = 'connmodel-trace';
export const TRACE_VERSION = 1;

/**
 * A saved run: enough to re-execute it exactly (topology, scenario, step
 * bound) and the events it produced, to compare against.
 */
export interface TraceFile {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** The topology as it was when the trace was made (replay refuses a topology that changed since). */
  topology: Topology;
  property: string | null;
  facet: string | null;
  /** The exploration seed that found it, when it came from `check`. */
  seed: number | null;
  scenario: Scenario;
  maxSteps: number;
  /** Replay stops after this step (the violating step of a counterexample). */
  stopAtStep: number;
  violation: Violation | null;
  events: TraceEvent[];
}

export function traceToJson(trace: TraceFile): string {
  return `${JSON.stringify(trace, null, 1)}\n`;
}

function fail(path: string, what: string): never {
  throw new InputError(`${path}: not a connmodel trace: ${what}`);
}

export function parseTrace(text: string, path: string): TraceFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    fail(path, `invalid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null) fail(path, 'expected a JSON object');
  const t = data as Partial<TraceFile>;
  if (t.format !== TRACE_FORMAT) fail(path, `field 'format' must be '${TRACE_FORMAT}', found ${JSON.stringify(t.format)}`);
  if (t.version !== TRACE_VERSION) fail(path, `field 'version' must be ${TRACE_VERSION}, found ${JSON.stringify(t.version)}`);
  if (typeof t.topology !== 'object' || t.topology === null || typeof t.topology.name !== 'string')
    fail(path, "field 'topology' must be a topology object with a name");
  const sc = t.scenario;
  if (!sc || !Number.isInteger(sc.clients) || !Number.isInteger(sc.requests) || !Array.isArray(sc.schedule))
    fail(path, "field 'scenario' must have integer 'clients', 'requests' and an array 'schedule'");
  for (const [i, c] of sc.schedule.entries())
    if (![c?.next, c?.delay, c?.pick].every((n) => Number.isInteger(n) && n >= 0))
      fail(path, `scenario.schedule[${i}] must have non-negative integers next, delay, pick`);
  const tail = sc.tail;
  if (tail !== undefined && !(typeof tail === 'object' && tail !== null && [tail.seed, tail.next, tail.delay, tail.pick, tail.tiers ?? 0].every((n) => Number.isInteger(n) && n >= 0) && [undefined, true, false].includes(tail.rotate)))
    fail(path, 'scenario.tail, when present, must have non-negative integers seed, next, delay, pick (and tiers), and a boolean rotate');
  if (!Number.isInteger(t.maxSteps) || !Number.isInteger(t.stopAtStep)) fail(path, "fields 'maxSteps' and 'stopAtStep' must be integers");
  if (!Array.isArray(t.events)) fail(path, "field 'events' must be an array");
  return t as TraceFile;
}

export function readTrace(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read trace file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTrace(text, path);
}
