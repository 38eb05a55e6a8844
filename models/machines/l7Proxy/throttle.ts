import type { Effect } from '../vocabulary.js';
import { THROTTLE_KEY, type Throttle } from './context.js';

/**
 * The token bucket of a throttling proxy (API Gateway), kept in the
 * machine's context. A machine has no clock, so the bucket is refilled by a
 * timer of its own: every `refillPeriod(rate)` ms it gets `rate` × period
 * tokens back, up to `burst`, and the timer runs only while the bucket is not
 * full. Over any stretch of time it lets through at most `burst` plus `rate`
 * per second, as a token bucket does; between refills a request sees the
 * tokens of the last refill (at most one period late).
 */

/** Whole milliseconds between refills: one token's worth of time, at least 1 ms (the model's resolution). */
export function refillPeriod(rate: number): number {
  return Math.max(1, Math.ceil(1000 / rate));
}

/** A bucket with this setting, full; null when `rate` is null (no throttle). */
export function bucketOf(rate: number | null | undefined, burst: number | null | undefined): Throttle | null {
  if (rate === null || rate === undefined) return null;
  const size = burst ?? rate;
  return { rate, burst: size, tokens: size };
}

/** Takes a token for a request let through; the refill timer starts when the bucket stops being full. */
export function takeToken(t: Throttle, effects: Effect[]): Throttle {
  if (t.tokens >= t.burst) effects.push({ type: 'setTimer', key: THROTTLE_KEY, after: refillPeriod(t.rate) });
  return { ...t, tokens: t.tokens - 1 };
}

/** The refill timer fired: tokens back for one period; it runs again while the bucket is not full. */
export function refill(t: Throttle, effects: Effect[]): Throttle {
  const period = refillPeriod(t.rate);
  const tokens = Math.min(t.burst, t.tokens + (t.rate * period) / 1000);
  if (tokens < t.burst) effects.push({ type: 'setTimer', key: THROTTLE_KEY, after: period });
  return { ...t, tokens };
}

/**
 * A new setting: a throttle switched on starts full; one that changes keeps
 * its tokens (at most the new burst); switched off, it is gone. The refill
 * timer restarts at the new rate's period when the bucket is not full.
 */
export function resetBucket(old: Throttle | null | undefined, rate: number | null, burst: number | null, effects: Effect[]): Throttle | null {
  effects.push({ type: 'cancelTimer', key: THROTTLE_KEY });
  const fresh = bucketOf(rate, burst);
  if (!fresh) return null;
  const tokens = old ? Math.min(old.tokens, fresh.burst) : fresh.burst;
  if (tokens < fresh.burst) effects.push({ type: 'setTimer', key: THROTTLE_KEY, after: refillPeriod(fresh.rate) });
  return { ...fresh, tokens };
}

/** Whether a request arriving now is over the throttle (no whole token left). */
export function overThrottle(t: Throttle | null | undefined): boolean {
  return t !== null && t !== undefined && t.tokens < 1;
}
