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
    reuse: 'mru',
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: null,
    firstRequestTimeout: null,
    downstreamIdleTimeout: null,
    downstreamMaxRequests: null,
    requestTimeout: 29_000,
    timeoutStatus: 504,
    connectAttempts: 1,
    timeoutAttempts: 1,
    retryCachedFailures: false,
    cancelOnAbandon: true,
  },
  about: 'fleet of 20 independent workers, each pooling its own backend connections (assumption); 504 after the 29 s integration timeout (doc)',
  sources: {
    upstreamPolicy: {
      source: 'assumption',
      ref: 'backend connection pooling is not documented; the seed observed one client connection becoming several NLB flows ("doesn\'t guarantee ... link the long-lived client connection with the same ... backend connection")',
    },
    workers: { source: 'assumption', ref: 'the fleet size is not documented; 20 is more than the 15-slot queue, so one client connection can reach every slot' },
    reuse: { source: 'assumption', ref: 'which idle backend connection a worker reuses is not documented; most recently used first' },
    maxUpstream: { source: 'assumption', ref: 'no documented limit on backend connections per worker' },
    firstRequestTimeout: { source: 'assumption', ref: 'the client-side timeouts are not modelled: JMeter sends at once' },
    acquireTimeout: { source: 'assumption', ref: 'no pool limit, so nothing waits for a connection' },
    upstreamIdleTimeout: { source: 'assumption', ref: 'how long API Gateway keeps an idle backend connection is not documented; null: never closes it' },
    downstreamIdleTimeout: { source: 'assumption', ref: 'the client-side idle timeout is not modelled: JMeter holds its connections' },
    downstreamMaxRequests: { source: 'assumption', ref: 'no documented request limit per client connection' },
    requestTimeout: { source: 'doc', ref: 'API Gateway quotas: integration timeout 29 seconds (REST APIs; raisable for Regional APIs since June 2024)' },
    timeoutStatus: { source: 'doc', ref: 'API Gateway: 504 Endpoint Request Timed-out when the integration times out' },
    connectAttempts: { source: 'assumption', ref: 'API Gateway documents no retry of a failed integration connection' },
    timeoutAttempts: { source: 'assumption', ref: 'API Gateway documents no retry after an integration timeout' },
    retryCachedFailures: { source: 'assumption', ref: 'API Gateway documents no retry of a request lost on a reused backend connection' },
    cancelOnAbandon: { source: 'assumption', ref: 'not documented: the backend request is dropped when the client goes away' },
  },
};
