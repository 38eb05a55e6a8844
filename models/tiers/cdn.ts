import type { Preset } from './preset.js';

/** CloudFront: terminates viewer connections and pools origin connections. */
export const cdn: Preset<'l7Proxy'> = {
  name: 'cdn',
  kind: 'l7Proxy',
  perInstance: false,
  participant: 'CloudFront',
  params: {
    upstreamPolicy: 'pooled',
    workers: 1,
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: 5_000, // origin keep-alive timeout 5 s (doc)
    downstreamIdleTimeout: null,
    downstreamMaxRequests: null,
    requestTimeout: 30_000, // origin response timeout 30 s (doc)
    timeoutStatus: 504,
  },
  about: 'pooled origin connections, origin keep-alive 5 s, response timeout 30 s (CloudFront docs); connect retries are not modelled: handshakes never fail in this model',
};
