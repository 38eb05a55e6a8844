import { app, cdn, client, connQueue, database, gateway, nginx, nlb } from '../tiers/index.js';
import type { Topology } from './topology.js';

/**
 * The reference incident as it really behaves: Client -> CloudFront -> API
 * Gateway (a fleet that does not pin connections) -> NLB -> per instance
 * (15-slot connection queue -> NGINX -> Node.js) -> MySQL, with the seed's
 * numbers and vendor defaults. The default topology everywhere.
 */
export const seed: Topology = {
  name: 'seed',
  description: 'the incident pipeline as it really behaves: API Gateway spreads one client connection over a fleet of backend connections',
  tiers: [client, cdn, gateway, nlb, connQueue, nginx, app, database],
  instances: 2,
  instanceParticipant: 'EC2',
  latency: [1, 20],
  bounds: { clients: 2, requests: 3 },
};
