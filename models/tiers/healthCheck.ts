import type { HealthCheck } from '../topologies/topology.js';

/**
 * The seed's alive-check: port 8080 straight into NGINX, bypassing the
 * connection queue on port 80. Who sends it is the NLB target group's HTTP
 * health check (doc): an interval of 10 s or 30 s (we take 10 s, the shorter:
 * it gives the check the best chance to notice trouble) and a 6 s timeout for
 * HTTP checks; each check on a new connection.
 */
export const healthCheck: HealthCheck = {
  entersAt: 'nginx',
  name: 'health',
  participant: 'HealthCheck',
  interval: 10_000,
  timeout: 6_000,
  checks: 1,
};
