import { describe, expect, it } from 'vitest';
import { seedSmall } from '../../models/topologies/index.js';
import { noReset, oneToOne, queueAdmission } from '../../properties/catalogue.js';
import { check, checkAsync } from '../../src/explore/check.js';

/**
 * `checkAsync` is `check` that lets the event loop turn (progress, Ctrl-C):
 * the same schedules and the same result, byte for byte; stopped, it keeps
 * what it decided and says it is partial.
 */
describe('checkAsync', () => {
  it.each([oneToOne, queueAdmission, noReset].map((p) => [p.name, p] as const))('gives the same result as check: %s', async (_, property) => {
    const options = { runs: 30, seed: 9 };
    expect(JSON.stringify(await checkAsync(seedSmall, property, options))).toBe(JSON.stringify(check(seedSmall, property, options)));
  });

  it('reports each run, up to runs × facets', async () => {
    const seen: [number, number][] = [];
    await checkAsync(seedSmall, queueAdmission, { runs: 25, seed: 1 }, { onRun: (done, total) => seen.push([done, total]) });
    expect(seen).toHaveLength(25);
    expect(seen.at(-1)).toEqual([25, 25]);
  });

  it('stopped: finished facets keep their verdicts, the others are undecided, the result is marked partial', async () => {
    // Progress is the position in runs × facets (a facet that finds something early ends early, and is minimised).
    let position = 0;
    let calls = 0;
    const facets = oneToOne.facets(seedSmall);
    // Stop in the third facet (boundary) or later: the first two are decided.
    const r = await checkAsync(seedSmall, oneToOne, { runs: 40, seed: 3 }, { onRun: (done) => ((position = done), calls++), stopped: () => position >= 2 * 40 + 5 });
    expect(r.interrupted).toBeDefined();
    expect(r.interrupted!.runs).toBe(calls);
    expect(r.interrupted!.runs).toBeLessThan(facets.length * 40);
    const full = check(seedSmall, oneToOne, { runs: 40, seed: 3 });
    expect(r.facets.map((f) => f.facet)).toEqual(facets);
    const decided = r.facets.filter((f) => f.verdict !== 'undecided');
    expect(decided.map((f) => f.verdict)).toEqual(full.facets.slice(0, decided.length).map((f) => f.verdict));
    expect(decided.length).toBeGreaterThanOrEqual(2);
    expect(decided.length).toBeLessThan(facets.length);
    // A violation found before the stop is one; with none, the verdict is not decided.
    expect(r.verdict).toBe(decided.some((f) => f.verdict === 'violated') ? 'violated' : 'undecided');
  });

  it('stopped before it starts: nothing decided', async () => {
    const r = await checkAsync(seedSmall, queueAdmission, { runs: 40 }, { stopped: () => true });
    expect(r.verdict).toBe('undecided');
    expect(r.interrupted).toEqual({ runs: 0 });
  });
});
