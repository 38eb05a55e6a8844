import type { Preset } from './preset.js';

/**
 * API Gateway: terminates the client connection and does NOT pin it to a
 * backend connection. How it pools is not documented, so the policy is a
 * parameter; `fleet` (many independent workers, each with its own pool) is
 * what the seed observed: one client connection fans out over several flows.
 */
export const gateway: Preset<'l7Proxy'> = {
  name: 'gateway',
  kind: 'l7Proxy',
  perInstance: false,
  participant: 'APIGW',
  params: {
    upstreamPolicy: 'fleet',
    // A large fleet: more workers than the queue limit, so one client connection can reach every slot.
    workers: 20,
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: null,
    downstreamIdleTimeout: null,
    downstreamMaxRequests: null,
    requestTimeout: 29_000, // integration timeout 29 s (doc)
    timeoutStatus: 504,
  },
  about: 'fleet of 20 independent workers, each pooling its own backend connections; 504 after the 29 s integration timeout (doc)',
};
