import { expect } from 'vitest';
import { mistaken, seed } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Property } from '../../properties/property.js';
import { counterexampleTrace } from '../../src/api.js';
import type { Counterexample } from '../../src/explore/check.js';
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
  const replay = replayTrace(counterexampleTrace(topology, property, cx, { maxSteps: 400, seed: null }), topology);
  expect(replay.identical).toBe(true);
  expect(replay.violationReproduced).toBe(true);
}
