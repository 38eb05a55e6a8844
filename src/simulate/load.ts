import type { RateSchedule, ThrottleSetting } from '../../models/scenarios/scenario.js';
import type { Rng } from './random.js';

const DAY = 24 * 3_600_000;

/** Requests per second at run time `t` (ms). */
export function rateAt(schedule: RateSchedule, t: number): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.rate;
    case 'daily': {
      const clock = (schedule.startAt + t) % DAY;
      const phase = ((clock - schedule.peakAt) / DAY) * 2 * Math.PI;
      return schedule.trough + ((schedule.peak - schedule.trough) * (1 + Math.cos(phase))) / 2;
    }
    case 'points': {
      let rate = 0;
      for (const p of schedule.points) {
        if (t < p.at) break;
        const ramp = p.ramp ?? 0;
        rate = ramp > 0 && t < p.at + ramp ? rate + ((p.rate - rate) * (t - p.at)) / ramp : p.rate;
      }
      return rate;
    }
  }
}

/** The highest rate the schedule reaches (the thinning bound). */
export function peakRate(schedule: RateSchedule): number {
  switch (schedule.kind) {
    case 'constant':
      return schedule.rate;
    case 'daily':
      return schedule.peak;
    case 'points':
      return Math.max(0, ...schedule.points.map((p) => p.rate));
  }
}

/**
 * Arrivals as a Poisson process whose rate follows the schedule (thinning:
 * candidates at the peak rate, each kept with probability rate(t)/peak).
 * Times are whole milliseconds, the model's resolution.
 */
export class ArrivalProcess {
  private readonly peak: number;
  private exact = 0;

  constructor(
    private readonly schedule: RateSchedule,
    private readonly rng: Rng,
  ) {
    this.peak = peakRate(schedule);
  }

  /** The next arrival time after the previous one, or Infinity when the rate is 0 throughout. */
  next(): number {
    if (this.peak <= 0) return Infinity;
    for (;;) {
      this.exact += this.rng.exponential(this.peak / 1000);
      if (this.rng.next() * this.peak <= rateAt(this.schedule, this.exact)) return Math.floor(this.exact);
    }
  }
}

/**
 * API Gateway's throttle: a token bucket (rate per second, burst) that lets a
 * request through when it holds a token and answers 429 otherwise. Its rate
 * changes at the scenario's `throttle` events, at once or linearly over a
 * while ("ease back up over 30 minutes").
 */
export class TokenBucket {
  private from: number | null = null;
  private to: number | null = null;
  private since = 0;
  private over = 0;
  private burst = 0;
  private tokens = 0;
  private last = 0;

  set(t: number, s: ThrottleSetting) {
    this.refill(t);
    const current = this.rateAt(t);
    this.from = s.over > 0 ? current : s.rate;
    this.to = s.rate;
    this.since = t;
    this.over = s.over;
    this.burst = s.burst;
    if (current === null) this.tokens = s.burst; // a throttle switched on starts with a full bucket
    this.tokens = Math.min(this.tokens, this.burst);
  }

  /** Tokens per second in force at `t`; null: no throttle. */
  rateAt(t: number): number | null {
    if (this.to === null) return null;
    if (this.over <= 0 || this.from === null || t >= this.since + this.over) return this.to;
    return this.from + ((this.to - this.from) * (t - this.since)) / this.over;
  }

  private refill(t: number) {
    const rate = this.rateAt(t);
    if (rate !== null) this.tokens = Math.min(this.burst, this.tokens + (rate * (t - this.last)) / 1000);
    this.last = t;
  }

  /** Whether a request arriving at `t` gets through (taking a token). */
  admit(t: number): boolean {
    if (this.to === null) return true;
    this.refill(t);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }
}
