import { expect } from 'vitest';
import { composeSystem } from '../../models/system.js';
import { mistaken, seed } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Property } from '../../src/explore/property.js';
import { counterexampleTrace } from '../../src/trace/counterexample.js';
import type { Counterexample } from '../../src/explore/check.js';
import { Search, type SearchLimits, type Validator } from '../../src/explore/exhaustive/search.js';
import { replayTrace } from '../../src/trace/replay.js';

/**
 * The shipped topologies without their health checker: the pipeline alone.
 * Exact zone search of the full seed (two health checkers running beside the
 * client) does not finish at test sizes; see docs/exhaustive.md.
 */
export const pipelineOnly = (t: Topology): Topology => ({ ...t, name: `${t.name}-pipeline`, healthCheck: undefined });
export const seedPipeline = pipelineOnly(seed);
export const mistakenPipeline = pipelineOnly(mistaken);

/** A counterexample's trace replays exactly on `topology` and reproduces the violation. */
export function expectReplays(topology: Topology, property: Property, cx: Counterexample): void {
  const replay = replayTrace(counterexampleTrace(topology, property, cx, { maxSteps: 400, seed: null }), topology, property);
  expect(replay.identical).toBe(true);
  expect(replay.violationReproduced).toBe(true);
}

/**
 * Runs a bare search to its end and returns it (its visited set holds the
 * discrete fingerprints reached). Every facet of the property is searched,
 * on past the first violation, with symmetry, in activity time, unless
 * `limits` says otherwise.
 */
export function runSearch(
  topology: Topology,
  property: Property,
  bounds: { clients: number; requests: number },
  limits: Partial<SearchLimits>,
  validate: Validator | null = null,
): Search {
  const facets = property.facets(topology);
  const s = new Search(
    composeSystem(topology, bounds),
    property,
    facets.length > 0 ? facets : [null],
    { depth: 1000, maxStates: 1_000_000, symmetry: true, stopAtFirst: false, time: 'activity', ...limits },
    validate,
  );
  s.run();
  return s;
}

/** A small deterministic generator in [0, 1): the same numbers on every machine. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32;
}
