import { app, cdn, client, connQueue, database, gateway, nginx, nlb, withParams } from '../tiers/index.js';
import { seed } from './seed.js';
import type { Topology } from './topology.js';

/**
 * The team's belief: "1 client TCP connection will only ever result in 1 TCP
 * connection at all levels of the pipeline". Every terminating tier pins each
 * client-side connection to one upstream connection of its own, and the two
 * close together. Timeouts and limits are the seed's.
 */
export const mistaken: Topology = {
  ...seed,
  name: 'mistaken',
  description: "the team's belief: every tier pins one upstream connection to each client connection",
  tiers: [
    client,
    withParams(cdn, { upstreamPolicy: 'pinned' }),
    withParams(gateway, { upstreamPolicy: 'pinned', workers: 1 }),
    nlb,
    connQueue,
    withParams(nginx, { upstreamPolicy: 'pinned' }),
    withParams(app, { upstreamPolicy: 'pinned' }),
    database,
  ],
};
