import { describe, expect, it } from 'vitest';
import { abbreviateLists, connectionsNamed, gapLine, keySteps, traceExcerpt } from '../../src/report/traceExcerpt.js';
import { describeTrace } from '../../src/trace/describe.js';
import { readTrace } from '../../src/trace/file.js';

/** The key steps of a counterexample, as `check` prints them by default. */
const oneToOne = readTrace(new URL('../../diagrams/one-to-one.trace.json', import.meta.url).pathname);
const message = oneToOne.violation!.message;

describe('keySteps', () => {
  it('the first step, the steps that open or change the connections the violation names, and the last three', () => {
    expect(connectionsNamed(message)).toEqual(['client>cdn#1', 'gateway>nlb#1', 'gateway>nlb#2']);
    const keep = [...keySteps(oneToOne.events, message)].sort((a, b) => a - b);
    const last = oneToOne.stopAtStep;
    expect(keep[0]).toBe(1);
    expect(keep.slice(-3)).toEqual([last - 2, last - 1, last]);
    // The gateway opening each of its two connections to the NLB is kept.
    const opens = oneToOne.events.filter((e) => e.type === 'connect' && e.at === 'gateway' && e.conn?.startsWith('gateway>nlb#')).map((e) => e.step);
    expect(opens).toHaveLength(2);
    for (const s of opens) expect(keep).toContain(s);
    // Reads and writes on those connections are not, by themselves, key.
    expect(keep.length).toBeLessThan(12);
  });

  it('at most `most` of the named connections’ steps: the first two and the last ones', () => {
    const many = `held ${Array.from({ length: 16 }, (_, i) => `gateway>nlb#${i + 1} (r1.${i + 1})`).join(', ')}`;
    const events = Array.from({ length: 16 }, (_, i) => ({ step: i + 2, t: i, type: 'connect' as const, at: 'gateway', peer: 'nlb', conn: `gateway>nlb#${i + 1}` }));
    const all = [{ step: 1, t: 0, type: 'start' as const, at: 'client.1' }, ...events, { step: 18, t: 20, type: 'start' as const, at: 'x' }];
    const keep = [...keySteps(all, many, { most: 6, last: 1 })].sort((a, b) => a - b);
    expect(keep).toEqual([1, 2, 3, 14, 15, 16, 17, 18]);
  });
});

describe('traceExcerpt', () => {
  it('replaces the steps left out by one line saying how many, and shows a single one instead', () => {
    const lines = traceExcerpt(oneToOne.events, message);
    const whole = describeTrace(oneToOne.events);
    expect(lines[0]).toBe(whole[0]);
    expect(lines.at(-1)).toBe(whole.at(-1));
    const gaps = lines.filter((l) => l.startsWith('…'));
    expect(gaps.length).toBeGreaterThan(0);
    // Every step is either shown or counted in a gap, never both.
    const shown = lines.filter((l) => !l.startsWith('…')).length;
    const counted = gaps.reduce((n, g) => n + Number(/… (\d+) steps? …/.exec(g)![1]), 0);
    expect(shown + counted).toBe(whole.length);
    expect(gaps.every((g) => g !== gapLine(1))).toBe(true);
    expect(lines.length).toBeLessThan(whole.length / 2);
  });

  it('whole: every step', () => {
    expect(traceExcerpt(oneToOne.events, message, { whole: true })).toEqual(describeTrace(oneToOne.events));
  });
});

describe('abbreviateLists', () => {
  it('cuts a long list of connections to its ends, and leaves short ones', () => {
    const list = Array.from({ length: 16 }, (_, i) => `gateway>nlb#${i + 1} (r1.${i + 1})`).join(', ');
    expect(abbreviateLists(`holds 16 connections: ${list}`)).toBe(
      'holds 16 connections: gateway>nlb#1 (r1.1), gateway>nlb#2 (r1.2), … 12 more …, gateway>nlb#15 (r1.15), gateway>nlb#16 (r1.16)',
    );
    expect(abbreviateLists(message)).toBe(message);
  });
});
