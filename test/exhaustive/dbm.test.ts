import { describe, expect, it } from 'vitest';
import { constrain, contains, extrapolate, INF, isEmpty, le, remap, up, zeroZone } from '../../src/explore/exhaustive/dbm.js';

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
