import type { TraceEvent } from '../kernel/events.js';

/** Every field of an event, in the order traces write them. */
const FIELDS: readonly (keyof TraceEvent)[] = ['step', 't', 'type', 'at', 'peer', 'conn', 'msg', 'req', 'origin', 'status', 'close', 'key', 'detail'];

export interface FieldDifference {
  field: keyof TraceEvent;
  saved: unknown;
  replayed: unknown;
}

/** Every field in which two events differ (a field one of them lacks counts), in trace order. */
export function eventDifferences(saved: TraceEvent, replayed: TraceEvent): FieldDifference[] {
  const out: FieldDifference[] = [];
  for (const field of FIELDS) if (JSON.stringify(saved[field]) !== JSON.stringify(replayed[field])) out.push({ field, saved: saved[field], replayed: replayed[field] });
  return out;
}

/** A field's value as a difference report shows it: `16`, `'gateway>nlb#2'`, `(none)`. */
export function shownValue(v: unknown): string {
  return v === undefined ? '(none)' : typeof v === 'string' ? `'${v}'` : String(v);
}
