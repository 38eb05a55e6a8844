import type { Preset } from './preset.js';

const CORE = 'nginx.org ngx_http_core_module';

/** NGINX on each instance, as configured in the seed (defaults). */
export const nginx: Preset<'l7Proxy'> = {
  name: 'nginx',
  kind: 'l7Proxy',
  perInstance: true,
  participant: 'NGINX',
  params: {
    upstreamPolicy: 'perRequest',
    workers: 1,
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: null,
    downstreamIdleTimeout: 75_000,
    downstreamMaxRequests: 100,
    requestTimeout: null,
    timeoutStatus: 504,
  },
  about: 'keepalive_timeout 75 s, keepalive_requests 100 (seed); a new upstream connection per request unless upstream keep-alive is configured (doc)',
  sources: {
    upstreamPolicy: {
      source: 'doc',
      ref: 'nginx.org ngx_http_upstream_module `keepalive`: without it (and proxy_http_version 1.1) NGINX speaks HTTP/1.0 upstream, a new connection per request',
    },
    workers: { source: 'doc', ref: 'one upstream (the Node.js app on the same instance)' },
    maxUpstream: { source: 'doc', ref: 'no limit on upstream connections unless max_conns is set' },
    acquireTimeout: { source: 'doc', ref: 'no upstream queue unless `queue` (NGINX Plus) is set' },
    upstreamIdleTimeout: { source: 'doc', ref: 'no upstream keep-alive: connections close after each response' },
    downstreamIdleTimeout: { source: 'seed', ref: `"our NGINX configuration has a default 75 second http keepalive" (${CORE} keepalive_timeout default 75s)` },
    downstreamMaxRequests: {
      source: 'seed',
      ref: `"default keepalive_requests of 100" (${CORE}: 100 before 1.19.10, 1000 since)`,
    },
    requestTimeout: { source: 'assumption', ref: 'proxy_read_timeout (60 s, doc) is not modelled yet' },
    timeoutStatus: { source: 'doc', ref: `${CORE}: 504 Gateway Time-out when the upstream times out` },
  },
};
