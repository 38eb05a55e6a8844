import { connQueue, withParams } from '../tiers/index.js';
import { seed } from './seed.js';
import type { Topology } from './topology.js';

/**
 * The seed with a 2-slot connection queue: everything else as in `seed`. The
 * same failures as the seed, with counterexamples short enough to read: 3
 * backend connections from one client connection fill an instance's queue.
 */
export const seedSmall: Topology = {
  ...seed,
  name: 'seed-small',
  description: 'the seed with a 2-slot connection queue, for short readable counterexamples',
  tiers: seed.tiers.map((t) => (t.name === connQueue.name ? withParams(connQueue, { limit: 2 }) : t)),
};
