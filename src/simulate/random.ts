/**
 * The simulation's randomness: one seeded generator per run (sfc32, 32-bit
 * arithmetic, the same numbers on every platform), and the distributions the
 * scenario names. Every stochastic choice of a run draws from it in a fixed
 * order, so a run is a function of its seed.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the state; then warm up.
    let s = seed >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Exponentially distributed with the given rate (per unit). */
  exponential(rate: number): number {
    return -Math.log(1 - this.next()) / rate;
  }
}

/** The standard normal CDF (Abramowitz & Stegun 7.1.26 on erf; error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

/** The standard normal quantile (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

/** A delay distribution as a scenario names it (ms). Every draw lies inside the kernel's window for the message. */
export type Distribution = { kind: 'uniform'; min?: number; max?: number } | { kind: 'lognormal'; median: number; p99: number } | { kind: 'fixed'; ms: number };

const Z99 = 2.3263478740408408;

/**
 * A sampler of whole-ms delays for a distribution, restricted to a window
 * [lo, hi]: uniform over it, a fixed value clamped into it, or a lognormal
 * truncated to it (drawn by inverting its CDF between the window's ends, so
 * it never loops). The window is the kernel's: a delay outside it would not
 * be a run of the model.
 */
export function sampler(d: Distribution): (rng: Rng, lo: number, hi: number) => number {
  if (d.kind === 'uniform') {
    if (d.min === undefined && d.max === undefined) return (rng, lo, hi) => lo + rng.int(hi - lo + 1);
    // Over [min, max] where it meets the window; a range outside the window gives its nearest end.
    return (rng, lo, hi) => {
      const a = Math.min(hi, Math.max(lo, d.min ?? lo));
      const b = Math.max(a, Math.min(hi, d.max ?? hi));
      return a + rng.int(b - a + 1);
    };
  }
  if (d.kind === 'fixed') return (_rng, lo, hi) => Math.min(hi, Math.max(lo, d.ms));
  const mu = Math.log(Math.max(d.median, 1e-3));
  const sigma = Math.max((Math.log(Math.max(d.p99, d.median)) - mu) / Z99, 1e-6);
  // Windows repeat (the network's, a server's): remember the CDF at their ends.
  const cache = new Map<number, number>();
  const cdf = (x: number) => {
    let v = cache.get(x);
    if (v === undefined) {
      v = x <= 0 ? 0 : normalCdf((Math.log(x) - mu) / sigma);
      if (cache.size < 4096) cache.set(x, v);
    }
    return v;
  };
  return (rng, lo, hi) => {
    const a = cdf(lo);
    const b = cdf(hi + 1);
    if (b - a < 1e-12) return a >= 1 - 1e-12 ? hi : lo; // all the mass lies beyond one end of the window
    const x = Math.exp(mu + sigma * normalQuantile(a + rng.next() * (b - a)));
    return Math.min(hi, Math.max(lo, Math.floor(x)));
  };
}
