import { InputError } from '../inputError.js';
import { mitigations } from './mitigations.js';
import { mistaken } from './mistaken.js';
import { seed } from './seed.js';
import { seedSmall } from './seedSmall.js';
import type { Topology } from './topology.js';

/** The shipped topologies, by name: the reference pair, the small-queue seed, then the mitigations. `seed` is the default everywhere. */
export const topologies: Readonly<Record<string, Topology>> = Object.fromEntries(
  [seed, mistaken, seedSmall, ...mitigations].map((t) => [t.name, t]),
);
export const defaultTopology = 'seed';

export type { HealthCheck, Mitigation, TierSpec, Topology } from './topology.js';
export {
  healthThroughQueue,
  mitigations,
  nginxKeepaliveOff,
  nginxKeepaliveShort,
  nginxUpstreamKeepalive,
  nodeKeepaliveLonger,
  queueRemoved,
  requestLimit,
} from './mitigations.js';
export { mistaken, seed, seedSmall };

/** A shipped topology by name, or one clear error listing the names allowed. */
export function topologyNamed(name: string): Topology {
  const t = Object.hasOwn(topologies, name) ? topologies[name] : undefined;
  if (!t) throw new InputError(`unknown topology '${name}'; allowed: ${Object.keys(topologies).join(', ')}`);
  return t;
}
