import { describe, expect, it } from 'vitest';
import { check } from '../../src/explore/check.js';
import { counterexampleTrace } from '../../src/trace/counterexample.js';
import { replayTrace } from '../../src/trace/replay.js';
import { plantedCorpus, type Planted } from './planted.js';

/** The corpus the tests and `npm run bench` share: 200 topologies, 50 of each plant. */
export const CORPUS_SIZE = 200;

/**
 * One test per planted topology of `plant`: the default `check` (its runs,
 * seed and bounds; only the planted facet, so that the other facets' 1,000
 * runs each do not dominate the suite) finds the violation, reports its
 * minimum (fewest client connections, then requests), and the
 * counterexample's trace replays byte for byte.
 */
export function itFindsEveryPlanted(plant: string): void {
  const corpus = plantedCorpus(CORPUS_SIZE).filter((p) => p.topology.name.endsWith(`-${plant}`));
  describe(`${corpus.length} generated topologies with a ${plant} violation planted at depth`, () => {
    it.each(corpus.map((p): [string, Planted] => [`${p.topology.name}: ${p.plant}`, p]))('%s', (_, p) => {
      const r = check(p.topology, p.property, p.facet ? { facets: [p.facet] } : {});
      const cx = p.facet ? r.facets.find((f) => f.facet === p.facet)?.counterexample : r.counterexample;
      expect(cx, `${p.property.name} not violated${p.facet ? ` at ${p.facet}` : ''}`).toBeDefined();
      expect({ clientConnections: cx!.clientConnections, requests: cx!.requests }).toEqual(p.minimum);
      const replay = replayTrace(counterexampleTrace(p.topology, p.property, cx!, { maxSteps: r.bounds.maxSteps, seed: r.seed }), p.topology, p.property);
      expect(replay.identical).toBe(true);
    });
  });
}
