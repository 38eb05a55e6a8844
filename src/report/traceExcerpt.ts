import type { TraceEvent, TraceEventType } from '../kernel/events.js';
import { describeSteps } from '../trace/describe.js';

/** A connection id as traces and messages write it: `gateway>nlb#16`. */
const CONNECTION = /[A-Za-z][\w-]*>[A-Za-z][\w-]*#\d+/g;

/** The connection ids a violation's message names, in order, once each. */
export function connectionsNamed(message: string): string[] {
  return [...new Set(message.match(CONNECTION) ?? [])];
}

/**
 * What changes a connection's life: opened, parked, activated, closed, reset,
 * dropped, timed out on. Plain reads and writes on it are left out: they are
 * most of a trace and say little about why it broke.
 */
const LIFE: ReadonlySet<TraceEventType> = new Set<TraceEventType>([
  'connect',
  'queue',
  'activate',
  'close',
  'closed',
  'reset',
  'aborted',
  'expire',
  'idle-close',
  'timeout',
  'max-requests',
  'abandon',
]);

export interface ExcerptOptions {
  /** Steps shown at the end, before and including the violating one. */
  last?: number;
  /** Most steps shown for the violation's connections: the first 2 and the rest from the end. */
  most?: number;
}

/**
 * The steps of a counterexample that matter: the first, those that change the
 * life of a connection the violation names (at most `most`: the first two and
 * the last ones), and the last few.
 */
export function keySteps(events: readonly TraceEvent[], message: string, options: ExcerptOptions = {}): Set<number> {
  const last = options.last ?? 3;
  const most = options.most ?? 6;
  const steps = [...new Set(events.map((e) => e.step))];
  const named = new Set(connectionsNamed(message));
  const onNamed = [...new Set(events.filter((e) => e.conn !== undefined && named.has(e.conn) && LIFE.has(e.type)).map((e) => e.step))];
  const kept = onNamed.length <= most ? onNamed : [...onNamed.slice(0, 2), ...onNamed.slice(onNamed.length - (most - 2))];
  return new Set([...steps.slice(0, 1), ...kept, ...steps.slice(-last)]);
}

/** A line standing for steps left out. */
export const gapLine = (n: number) => `… ${n} step${n === 1 ? '' : 's'} …`;

/**
 * A counterexample's trace as lines, one per step, with the steps that do
 * not matter (see `keySteps`) replaced by `… N steps …`. `whole`: every step.
 * `gap` styles the elision lines.
 */
export function traceExcerpt(
  events: readonly TraceEvent[],
  message: string,
  options: ExcerptOptions & { whole?: boolean; gap?: (s: string) => string } = {},
): string[] {
  const lines = describeSteps(events);
  if (options.whole) return lines.map((l) => l.line);
  const keep = keySteps(events, message, options);
  const gap = options.gap ?? ((s: string) => s);
  const out: string[] = [];
  let skipped: string[] = [];
  const flush = () => {
    // A single step left out is shown instead: its line says more than the line saying it was left out.
    if (skipped.length === 1) out.push(skipped[0]!);
    else if (skipped.length > 1) out.push(gap(gapLine(skipped.length)));
    skipped = [];
  };
  for (const l of lines) {
    if (!keep.has(l.step)) {
      skipped.push(l.line);
      continue;
    }
    flush();
    out.push(l.line);
  }
  flush();
  return out;
}

/**
 * A long list of connections in a message (flow-bound names all 16) cut to
 * its first and last two: `a, b, … 12 more …, y, z`. Terminal output only;
 * traces and JSON keep the whole message.
 */
export function abbreviateLists(message: string, most = 6): string {
  const item = String.raw`[A-Za-z][\w-]*>[A-Za-z][\w-]*#\d+(?: \([^)]*\))?`;
  const list = new RegExp(`${item}(?:, ${item}){${most},}`, 'g');
  return message.replace(list, (whole) => {
    const items = whole.split(', ');
    return [...items.slice(0, 2), `… ${items.length - 4} more …`, ...items.slice(-2)].join(', ');
  });
}
