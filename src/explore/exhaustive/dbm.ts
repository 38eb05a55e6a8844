/**
 * Difference-bound matrices (DBMs): the zones of timed-automata checkers
 * (UPPAAL, Kronos), for the exhaustive search's symbolic time.
 *
 * A zone over clocks x1..xn is a conjunction of constraints xi - xj (<|<=) c,
 * with x0 = 0 as the reference clock. It is stored as an (n+1)x(n+1) matrix
 * of encoded bounds: `(c << 1) | 1` for `<= c`, `(c << 1)` for `< c`, and
 * INF for no bound. Row i, column j bounds xi - xj. Zones are kept in
 * canonical (shortest-path closed) form, so equal zones have equal matrices.
 */
export const INF = 0x3fffffff;
/** `<= 0`: the diagonal of a non-empty zone. */
export const LE0 = 1;

export const le = (c: number): number => (c * 2) | 1;
export const lt = (c: number): number => c * 2;
export const constantOf = (b: number): number => b >> 1;
export const isStrict = (b: number): boolean => (b & 1) === 0;

export function addBounds(a: number, b: number): number {
  if (a === INF || b === INF) return INF;
  return ((a & ~1) + (b & ~1)) | (a & b & 1);
}

export interface Zone {
  /** Dimension: clocks + 1 (index 0 is the reference clock). */
  n: number;
  d: Int32Array;
}

/** The zone where every clock is 0 (n - 1 clocks). */
export function zeroZone(n: number): Zone {
  return { n, d: new Int32Array(n * n).fill(LE0) };
}

export function copyZone(z: Zone): Zone {
  return { n: z.n, d: z.d.slice() };
}

export function isEmpty(z: Zone): boolean {
  return z.d[0]! < LE0;
}

/** Floyd-Warshall closure; marks the zone empty (d[0] < LE0) on a negative cycle. */
export function close(z: Zone): void {
  const { n, d } = z;
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) {
      const dik = d[i * n + k]!;
      if (dik === INF) continue;
      for (let j = 0; j < n; j++) {
        const s = addBounds(dik, d[k * n + j]!);
        if (s < d[i * n + j]!) d[i * n + j] = s;
      }
    }
  for (let i = 0; i < n; i++)
    if (d[i * n + i]! < LE0) {
      d[0] = lt(-1);
      return;
    }
}

/**
 * Adds xi - xj `b` to a canonical zone and restores canonical form in O(n^2).
 * Returns false (and leaves the zone marked empty) when the result is empty.
 */
export function constrain(z: Zone, i: number, j: number, b: number): boolean {
  const { n, d } = z;
  if (d[0]! < LE0) return false;
  if (b >= d[i * n + j]!) return true;
  if (addBounds(d[j * n + i]!, b) < LE0) {
    d[0] = lt(-1);
    return false;
  }
  d[i * n + j] = b;
  for (let k = 0; k < n; k++) {
    const dki = d[k * n + i]!;
    if (dki === INF) continue;
    const dkij = addBounds(dki, b);
    for (let l = 0; l < n; l++) {
      const s = addBounds(dkij, d[j * n + l]!);
      if (s < d[k * n + l]!) d[k * n + l] = s;
    }
  }
  return true;
}

/** Let time pass: remove every clock's upper bound (canonical form is kept). */
export function up(z: Zone): void {
  const { n, d } = z;
  for (let i = 1; i < n; i++) d[i * n] = INF;
}

/** Let time pass for some clocks only (an activity's local time): their upper bounds go; canonical when no other clock is related to them except through clock 0. */
export function upSome(z: Zone, which: (clock: number) => boolean): void {
  const { n, d } = z;
  for (let i = 1; i < n; i++) if (which(i)) d[i * n] = INF;
}

/**
 * A zone over new clocks, each a copy of an old clock or of x0 (a reset):
 * new clock a takes the value of old clock `src[a]`. Projection and
 * duplication keep canonical form.
 */
export function remap(z: Zone, src: readonly number[]): Zone {
  const n = src.length;
  const d = new Int32Array(n * n);
  const on = z.n;
  for (let a = 0; a < n; a++) {
    const sa = src[a]!;
    for (let b = 0; b < n; b++) d[a * n + b] = a === b ? LE0 : z.d[sa * on + src[b]!]!;
  }
  return { n, d };
}

/**
 * Extra_M extrapolation (Behrmann et al.): bounds beyond a clock's largest
 * constant `max[i]` no longer matter for any guard or invariant, so they are
 * widened. Sound and complete for reachability when every constraint compares
 * one clock with a constant (no diagonal constraints), as here.
 */
export function extrapolate(z: Zone, max: readonly number[]): void {
  const { n, d } = z;
  let changed = false;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const b = d[i * n + j]!;
      if (b === INF) continue;
      const c = constantOf(b);
      if (i !== 0 && c > max[i]!) {
        d[i * n + j] = INF;
        changed = true;
      } else if (j !== 0 && -c > max[j]!) {
        d[i * n + j] = lt(-max[j]!);
        changed = true;
      }
    }
  if (changed) close(z);
}

/**
 * Whether every valuation of zone `inner` is LU-simulated by one of zone
 * `outer` (inner is included in a_LU(outer); Herbreteau, Srivathsan and
 * Walukiewicz, "Better abstractions for timed automata", LICS 2012). `L[x]`
 * and `U[x]` are the largest constants clock x is compared with from below
 * (guards x >= c) and from above (invariants x <= c) in any future of the
 * state (`L[0] = U[0] = 0`). A valuation v is simulated by v' when, per clock,
 * v'(x) = v(x), or L(x) < v'(x) < v(x) (younger, but past every lower bound it
 * will meet), or U(x) < v(x) < v'(x) (both past every upper bound): v' can do
 * whatever v can, so a state whose zone is inside a_LU of a kept one reaches
 * no discrete state the kept one does not. Both zones closed, same clocks.
 * Not included iff some clocks x != y (0 included) have
 * inner(0,x) >= (<=, -U[x]), outer(y,x) < inner(y,x) and
 * outer(y,x) + (<, -L[y]) < inner(0,x).
 */
export function includedLU(inner: Int32Array, outer: Int32Array, n: number, L: ArrayLike<number>, U: ArrayLike<number>): boolean {
  for (let x = 0; x < n; x++) {
    const low = inner[x]!; // inner(0, x): -x bounded, the lower bound of x
    if (x !== 0 && low < le(-U[x]!)) continue; // x is beyond every upper bound in all of inner
    for (let y = 0; y < n; y++) {
      if (y === x) continue;
      const o = outer[y * n + x]!;
      if (o >= inner[y * n + x]!) continue;
      if (addBounds(o, lt(-L[y]!)) < low) return false;
    }
  }
  return true;
}

/** Whether a point with xi = v[i] (v[0] = 0) lies in the zone. */
export function contains(z: Zone, v: readonly number[]): boolean {
  const { n, d } = z;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const b = d[i * n + j]!;
      if (b === INF) continue;
      const diff = v[i]! - v[j]!;
      const c = constantOf(b);
      if (isStrict(b) ? diff >= c : diff > c) return false;
    }
  return true;
}
