import type { RateSchedule } from '../../models/scenarios/scenario.js';
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
