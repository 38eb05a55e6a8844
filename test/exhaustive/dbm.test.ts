import { describe, expect, it } from 'vitest';
import { constrain, contains, extrapolate, includedLU, INF, isEmpty, le, remap, up, zeroZone, type Zone } from '../../src/explore/exhaustive/dbm.js';
import { rng } from './fixtures.js';

describe('DBM zones', () => {
  it('lets time pass, constrains, and detects emptiness', () => {
    const z = zeroZone(3); // x1 = x2 = 0
    up(z);
    expect(contains(z, [0, 7, 7])).toBe(true);
    expect(contains(z, [0, 7, 6])).toBe(false); // clocks advance together
    expect(constrain(z, 1, 0, le(5))).toBe(true); // x1 <= 5
    expect(contains(z, [0, 6, 6])).toBe(false);
    expect(constrain(z, 0, 2, le(-6))).toBe(false); // x2 >= 6 contradicts x2 = x1 <= 5
    expect(isEmpty(z)).toBe(true);
  });

  it('copies and resets clocks by remapping', () => {
    const z = zeroZone(2);
    up(z);
    constrain(z, 0, 1, le(-3)); // x1 >= 3
    const r = remap(z, [0, 1, 0]); // keep x1, add a fresh clock x2 = 0
    expect(contains(r, [0, 4, 0])).toBe(true);
    expect(contains(r, [0, 2, 0])).toBe(false);
    expect(contains(r, [0, 4, 1])).toBe(false);
  });

  it('extrapolates bounds beyond a clock’s largest constant', () => {
    const z = zeroZone(2);
    up(z);
    constrain(z, 0, 1, le(-100)); // x1 >= 100, but nothing compares x1 with more than 20
    extrapolate(z, [0, 20]);
    expect(z.d[1 * 2 + 0]).toBe(INF);
    expect(contains(z, [0, 21])).toBe(true);
    expect(contains(z, [0, 20])).toBe(false);
  });
});

describe('LU inclusion (a_LU, Herbreteau–Srivathsan–Walukiewicz)', () => {
  // A valuation v is LU-simulated by v' when, per clock, v'(x) = v(x), or L(x) < v'(x) < v(x), or U(x) < v(x) < v'(x).
  const simulated = (v: number[], w: number[], L: number[], U: number[]) =>
    v.every((x, i) => i === 0 || w[i] === x || (L[i]! < w[i]! && w[i]! < x) || (U[i]! < x && x < w[i]!));
  // Zones over two clocks, bounded by 6, from random difference constraints (closed by `constrain`).
  const randomZone = (rand: () => number): Zone | null => {
    const z = zeroZone(3);
    up(z);
    constrain(z, 1, 0, le(6));
    constrain(z, 2, 0, le(6));
    for (let k = 0; k < 3; k++) {
      const i = Math.floor(rand() * 3);
      const j = (i + 1 + Math.floor(rand() * 2)) % 3;
      if (!constrain(z, i, j, le(Math.floor(rand() * 11) - 4))) return null;
    }
    return z;
  };
  // Points on a quarter grid: fine enough for two clocks (fractional orderings are all represented).
  const grid: number[][] = [];
  for (let a = 0; a <= 24; a++) for (let b = 0; b <= 24; b++) grid.push([0, a / 4, b / 4]);

  it('agrees with the simulation checked point by point on random zones', () => {
    const rand = rng(7);
    let included = 0;
    let compared = 0;
    while (compared < 400) {
      const inner = randomZone(rand);
      const outer = randomZone(rand);
      if (!inner || !outer) continue;
      const L = [0, Math.floor(rand() * 5), Math.floor(rand() * 5)];
      const U = [0, Math.floor(rand() * 5), Math.floor(rand() * 5)];
      const outerPoints = grid.filter((w) => contains(outer, w));
      const expected = grid.filter((v) => contains(inner, v)).every((v) => outerPoints.some((w) => simulated(v, w, L, U)));
      expect(includedLU(inner.d, outer.d, 3, L, U), JSON.stringify({ inner: [...inner.d], outer: [...outer.d], L, U })).toBe(expected);
      compared++;
      if (expected && !includedLU(inner.d, outer.d, 3, [0, 7, 7], [0, 7, 7])) included++;
    }
    // Some pairs are included only thanks to L and U (not as sets): the test exercises the abstraction.
    expect(included).toBeGreaterThan(5);
  });

  it('lets a younger message stand for an older one once both are past its minimum latency, but not a timer', () => {
    // x1: a message's age (L = 1 its minimum latency, U = 20 its deadline); the older zone is [5, 10], the younger [2, 4].
    const older = zeroZone(2);
    up(older);
    constrain(older, 1, 0, le(10));
    constrain(older, 0, 1, le(-5));
    const younger = zeroZone(2);
    up(younger);
    constrain(younger, 1, 0, le(4));
    constrain(younger, 0, 1, le(-2));
    expect(includedLU(older.d, younger.d, 2, [0, 1], [0, 20])).toBe(true);
    expect(includedLU(younger.d, older.d, 2, [0, 1], [0, 20])).toBe(false);
    // A timer fires exactly at its delay (L = U = 30): its age must match.
    expect(includedLU(older.d, younger.d, 2, [0, 30], [0, 30])).toBe(false);
  });
});
