import type { HealthCheck } from '../topologies/topology.js';

/**
 * The seed's alive-check: port 8080 straight into NGINX, bypassing the
 * connection queue on port 80. Who sends it is the NLB target group's HTTP
 * health check, with its defaults (doc: Elastic Load Balancing API,
 * CreateTargetGroup, Network Load Balancer defaults): every 30 s, 6 s timeout
 * for HTTP checks, 2 failures in a row make a target unhealthy and 5
 * successes healthy again; an unhealthy target receives no new flows, and
 * when every target is unhealthy the NLB fails open. Each check on a new
 * connection. `checks` is an exploration bound, not a product setting.
 */
export const healthCheck: HealthCheck = {
  entersAt: 'nginx',
  name: 'health',
  participant: 'HealthCheck',
  interval: 30_000,
  timeout: 6_000,
  checks: 1,
  healthyThreshold: 5,
  unhealthyThreshold: 2,
};
