/** Zones (difference-bound matrices) reordered into a state's canonical clock order and back. */

/** The zone's matrix with its clocks in `order`. */
export function permuteZone(n: number, d: Int32Array, order: readonly number[]): Int32Array {
  const out = new Int32Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) out[a * n + b] = d[order[a]! * n + order[b]!]!;
  return out;
}

/** The inverse: a matrix in canonical order back to the clocks of a state whose canonical order is `order`. */
export function unpermuteZone(n: number, d: Int32Array, order: readonly number[]): Int32Array {
  const out = new Int32Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) out[order[a]! * n + order[b]!] = d[a * n + b]!;
  return out;
}

export function lexLess(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

