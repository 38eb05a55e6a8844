import { mistaken, seed } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';

/**
 * The shipped topologies without their health checker: the pipeline alone.
 * Exact zone search of the full seed (two health checkers running beside the
 * client) does not finish at test sizes; see docs/exhaustive.md.
 */
export const pipelineOnly = (t: Topology): Topology => ({ ...t, name: `${t.name}-pipeline`, healthCheck: undefined });
export const seedPipeline = pipelineOnly(seed);
export const mistakenPipeline = pipelineOnly(mistaken);
