/**
 * Durations in topology files: a plain number is milliseconds; a string may
 * carry a unit (`75s`, `350s`, `29000ms`, `5m`, `8h`, `1.5s`). Model time is
 * whole milliseconds, so `0.5ms` is refused rather than rounded.
 */

/** The longest duration a file may give: one day. The model's horizon is minutes; 8 h (MySQL wait_timeout) still fits. */
export const MAX_DURATION_MS = 24 * 60 * 60 * 1000;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

/** The syntax of a duration string, also given to editors through the JSON Schema. */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$';
const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/;

export const DURATION_EXPECTED = "a duration: milliseconds as a number, or a number with a unit ms, s, m or h ('75s', '29000ms', '5m')";

/** Milliseconds from a file value, or a message saying what is wrong with it. */
export function parseDuration(value: number | string, min = 0): { ms: number } | { error: string } {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else {
    const m = DURATION_RE.exec(value);
    if (!m) return { error: `expected ${DURATION_EXPECTED}` };
    // Digits of at most a few hundred characters (the file size is bounded); Number() copes, the range check below decides.
    ms = Number(m[1]) * UNIT_MS[(m[2] ?? 'ms') as DurationUnit];
  }
  if (!Number.isFinite(ms)) return { error: `expected ${DURATION_EXPECTED}` };
  if (!Number.isInteger(ms)) return { error: 'expected whole milliseconds (model time has 1 ms resolution)' };
  if (ms < min) return { error: `expected a duration of at least ${formatDuration(min)}` };
  if (ms > MAX_DURATION_MS) return { error: `expected a duration of at most ${formatDuration(MAX_DURATION_MS)} (the model's horizon is minutes)` };
  return { ms };
}

/** The shortest exact way to write `ms` in a file: `75s`, `350s`, `1500ms`, `5m`, `8h`. */
export function formatDuration(ms: number): string {
  if (ms !== 0 && ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  if (ms !== 0 && ms % UNIT_MS.m === 0 && ms >= 10 * UNIT_MS.m) return `${ms / UNIT_MS.m}m`;
  if (ms !== 0 && ms % UNIT_MS.s === 0) return `${ms / UNIT_MS.s}s`;
  return `${ms}ms`;
}
