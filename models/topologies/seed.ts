import { app, cdn, client, connQueue, database, gateway, healthCheck, nginx, nlb, withParams } from '../tiers/index.js';
import type { Topology } from './topology.js';

/**
 * The reference incident as it really behaves: Client -> CloudFront -> API
 * Gateway (a fleet that does not pin connections) -> NLB -> per instance
 * (15-slot connection queue -> NGINX -> Node.js) -> MySQL, with the seed's
 * numbers and vendor defaults, and the alive-check on port 8080 straight into
 * NGINX on every instance. The default topology everywhere.
 *
 * The gateway fleet `spread`s: by default each request of a client
 * connection lands on the next worker, as it does on a large fleet (any
 * worker is still reachable by the schedule's choice).
 */
export const seed: Topology = {
  name: 'seed',
  description: 'the incident pipeline as it really behaves: API Gateway spreads one client connection over a fleet of backend connections',
  tiers: [client, cdn, withParams(gateway, { spread: true }), nlb, connQueue, nginx, app, database],
  instances: 2,
  instanceParticipant: 'EC2',
  latency: [1, 20],
  bounds: { clients: 2, requests: 3 },
  healthCheck,
};
