import { InputError } from '../inputError.js';
import { mistaken } from './mistaken.js';
import { seed } from './seed.js';
import type { Topology } from './topology.js';

/** The shipped topologies, by name. `seed` is the default everywhere. */
export const topologies: Readonly<Record<string, Topology>> = { seed, mistaken };
export const defaultTopology = 'seed';

export type { TierSpec, Topology } from './topology.js';
export { mistaken, seed };

/** A shipped topology by name, or one clear error listing the names allowed. */
export function topologyNamed(name: string): Topology {
  const t = topologies[name];
  if (!t) throw new InputError(`unknown topology '${name}'; allowed: ${Object.keys(topologies).join(', ')}`);
  return t;
}
