import type { Preset } from './preset.js';

/** NGINX on each instance, as configured in the seed (defaults). */
export const nginx: Preset<'l7Proxy'> = {
  name: 'nginx',
  kind: 'l7Proxy',
  perInstance: true,
  participant: 'NGINX',
  params: {
    // Without `keepalive` in the upstream block NGINX speaks HTTP/1.0 upstream: a new connection per request (doc).
    upstreamPolicy: 'perRequest',
    workers: 1,
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: null,
    downstreamIdleTimeout: 75_000, // keepalive_timeout 75 s (seed)
    downstreamMaxRequests: 100, // keepalive_requests 100: the default before 1.19.10 (seed)
    requestTimeout: null,
    timeoutStatus: 504,
  },
  about: 'keepalive_timeout 75 s, keepalive_requests 100 (seed); a new upstream connection per request unless upstream keep-alive is configured (doc)',
};
