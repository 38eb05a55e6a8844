import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, MAX_DURATION_MS, parseDuration } from '../../models/params/duration.js';

describe('durations in topology files', () => {
  it('reads units, and plain numbers as milliseconds', () => {
    const ms = (v: number | string) => (parseDuration(v) as { ms: number }).ms;
    expect(ms('75s')).toBe(75_000);
    expect(ms('350s')).toBe(350_000);
    expect(ms('29000ms')).toBe(29_000);
    expect(ms('5m')).toBe(300_000);
    expect(ms('8h')).toBe(28_800_000);
    expect(ms('1.5s')).toBe(1500);
    expect(ms(' 20 ms ')).toBe(20);
    expect(ms('250')).toBe(250);
    expect(ms(75_000)).toBe(75_000);
  });

  it('refuses what is not whole milliseconds in range, saying why', () => {
    expect(parseDuration('soon')).toEqual({ error: expect.stringMatching(/^expected a duration: /) });
    expect(parseDuration('-5s')).toEqual({ error: expect.stringMatching(/^expected a duration: /) });
    expect(parseDuration('75 sec')).toEqual({ error: expect.stringMatching(/^expected a duration: /) });
    expect(parseDuration('0.5ms')).toEqual({ error: 'expected whole milliseconds (model time has 1 ms resolution)' });
    expect(parseDuration(0, 1)).toEqual({ error: 'expected a duration of at least 1ms' });
    expect(parseDuration('2d')).toEqual({ error: expect.stringMatching(/^expected a duration: /) });
    expect(parseDuration('25h')).toEqual({ error: "expected a duration of at most 24h (the model's horizon is minutes)" });
    expect(parseDuration(`${'9'.repeat(400)}s`)).toEqual({ error: expect.stringMatching(/^expected a duration/) });
    expect(parseDuration(Number.NaN)).toEqual({ error: expect.stringMatching(/^expected a duration: /) });
  });

  it('formats exactly: formatDuration then parseDuration is the identity', () => {
    expect(formatDuration(75_000)).toBe('75s');
    expect(formatDuration(350_000)).toBe('350s');
    expect(formatDuration(1500)).toBe('1500ms');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(0)).toBe('0ms');
    fc.assert(fc.property(fc.integer({ min: 0, max: MAX_DURATION_MS }), (n) => (parseDuration(formatDuration(n)) as { ms: number }).ms === n));
  });
});
