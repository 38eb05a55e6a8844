import { boundaryName, tierOf } from '../ids.js';
import type { Topology } from './topology.js';

/**
 * Questions about a topology's structure that every layer asks: its
 * boundaries, its health checker, where an instance begins. Pure functions of
 * the topology and the model's ids.
 */

/** `client>cdn`, `cdn>gateway`, ... in pipeline order. */
export function boundariesOf(topology: Topology): string[] {
  return topology.tiers.slice(1).map((t, i) => boundaryName(topology.tiers[i]!.name, t.name));
}

/** The name of the topology's health checker tier, or null when it has none. */
export const healthName = (topology: Topology): string | null => topology.healthCheck?.name ?? null;

/** Health-check traffic: a request first sent on a health checker's connection (`health>nginx#2`). */
export function isHealthOrigin(topology: Topology, origin: string | undefined): boolean {
  const h = healthName(topology);
  return h !== null && origin !== undefined && origin.startsWith(`${h}>`);
}

/** A health checker instance (`health.1`). */
export function isHealthInstance(topology: Topology, at: string): boolean {
  const h = healthName(topology);
  return h !== null && tierOf(at) === h;
}

/** Any instance that originates requests: the clients and the health checkers. */
export function isRequester(topology: Topology, at: string): boolean {
  return tierOf(at) === topology.tiers[0]!.name || isHealthInstance(topology, at);
}

/** The tier where an instance begins (the first per-instance tier: connQueue, or nginx without the queue). */
export function entryTier(topology: Topology): string | null {
  return topology.tiers.find((t) => t.perInstance)?.name ?? null;
}

/** Whether a tier has one copy per instance. */
export function isPerInstanceTier(topology: Topology, name: string): boolean {
  return topology.tiers.find((t) => t.name === name)?.perInstance === true;
}
