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
    reuse: 'mru',
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: null,
    firstRequestTimeout: 60_000,
    downstreamIdleTimeout: 75_000,
    downstreamMaxRequests: 100,
    requestTimeout: 60_000,
    timeoutStatus: 504,
    connectAttempts: 1,
    timeoutAttempts: 1,
    retryCachedFailures: true,
    cancelOnAbandon: true,
  },
  about: 'keepalive_timeout 75 s, keepalive_requests 100 (seed); client_header_timeout 60 s, proxy_read_timeout 60 s; a new upstream connection per request unless upstream keep-alive is configured, then failures on cached connections retried (doc)',
  sources: {
    upstreamPolicy: {
      source: 'doc',
      ref: 'nginx.org ngx_http_upstream_module `keepalive`: without it (and proxy_http_version 1.1) NGINX speaks HTTP/1.0 upstream, a new connection per request',
    },
    workers: { source: 'doc', ref: 'one upstream (the Node.js app on the same instance)' },
    reuse: {
      source: 'doc',
      ref: 'nginx src/http/modules/ngx_http_upstream_keepalive_module.c: a freed connection goes to the head of the cache (ngx_queue_insert_head) and get_peer takes from the head: most recently used first',
    },
    firstRequestTimeout: { source: 'doc', ref: `${CORE} client_header_timeout 60s: the timer of a new connection until its first request (ngx_http_init_connection)` },
    maxUpstream: { source: 'doc', ref: 'no limit on upstream connections unless max_conns is set' },
    acquireTimeout: { source: 'doc', ref: 'no upstream queue unless `queue` (NGINX Plus) is set' },
    upstreamIdleTimeout: { source: 'doc', ref: 'no upstream keep-alive: connections close after each response' },
    downstreamIdleTimeout: { source: 'seed', ref: `"our NGINX configuration has a default 75 second http keepalive" (${CORE} keepalive_timeout default 75s)` },
    downstreamMaxRequests: {
      source: 'seed',
      ref: `"default keepalive_requests of 100" (${CORE}: 100 before 1.19.10, 1000 since)`,
    },
    requestTimeout: { source: 'doc', ref: 'nginx.org ngx_http_proxy_module proxy_read_timeout 60s: 504 when the upstream sends nothing for that long' },
    timeoutStatus: { source: 'doc', ref: `${CORE}: 504 Gateway Time-out when the upstream times out` },
    connectAttempts: {
      source: 'doc',
      ref: 'one upstream server: a refused connection leaves no next upstream (ngx_http_upstream_next), 502. proxy_connect_timeout (60 s) is not modelled: no tier here drops a SYN',
    },
    timeoutAttempts: { source: 'doc', ref: 'one upstream server: after proxy_read_timeout there is no next upstream, 504' },
    retryCachedFailures: {
      source: 'doc',
      ref: 'nginx src/http/ngx_http_upstream.c ngx_http_upstream_next: an error on a cached connection does not use up a try (u->peer.tries++), so it is retried on a new connection; proxy_next_upstream (default error timeout) does not resend a POST, LOCK or PATCH already sent (since 1.9.13)',
    },
    cancelOnAbandon: { source: 'doc', ref: 'nginx.org proxy_ignore_client_abort off (default): the upstream connection is closed when the client closes' },
  },
};
