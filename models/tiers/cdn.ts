import type { Preset } from './preset.js';

const CLOUDFRONT = 'CloudFront Developer Guide, "Request and response behavior for custom origins"';

/** CloudFront: terminates viewer connections and pools origin connections. */
export const cdn: Preset<'l7Proxy'> = {
  name: 'cdn',
  kind: 'l7Proxy',
  perInstance: false,
  participant: 'CloudFront',
  params: {
    upstreamPolicy: 'pooled',
    workers: 1,
    reuse: 'mru',
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: 5_000,
    firstRequestTimeout: null,
    downstreamIdleTimeout: null,
    downstreamMaxRequests: null,
    requestTimeout: 30_000,
    timeoutStatus: 504,
    connectAttempts: 3,
    timeoutAttempts: 3,
    retryCachedFailures: false,
    cancelOnAbandon: true,
  },
  about: 'pooled origin connections, origin keep-alive 5 s, response timeout 30 s; 3 connection attempts, GET/HEAD retried after a timeout (CloudFront docs)',
  sources: {
    upstreamPolicy: { source: 'doc', ref: `${CLOUDFRONT}: CloudFront keeps origin connections open for the keep-alive timeout and reuses them` },
    workers: { source: 'assumption', ref: 'one pool: how CloudFront spreads origin connections over its edge servers is not documented' },
    reuse: { source: 'assumption', ref: 'which idle origin connection CloudFront reuses is not documented; most recently used first, as NGINX' },
    firstRequestTimeout: { source: 'assumption', ref: 'the viewer-side timeouts are not modelled: JMeter holds its connections and sends at once' },
    maxUpstream: { source: 'assumption', ref: 'no documented limit on origin connections' },
    acquireTimeout: { source: 'assumption', ref: 'no pool limit, so nothing waits for a connection' },
    upstreamIdleTimeout: { source: 'doc', ref: `${CLOUDFRONT}: origin keep-alive timeout, default 5 seconds` },
    downstreamIdleTimeout: { source: 'assumption', ref: 'the viewer-side idle timeout is not modelled: JMeter holds its connections' },
    downstreamMaxRequests: { source: 'assumption', ref: 'no documented request limit per viewer connection' },
    requestTimeout: { source: 'doc', ref: `${CLOUDFRONT}: response timeout (origin read timeout), default 30 seconds` },
    timeoutStatus: { source: 'doc', ref: `${CLOUDFRONT}: 504 when the origin does not respond in time` },
    connectAttempts: { source: 'doc', ref: `${CLOUDFRONT}: connection attempts, default 3 (with a 10 s connection timeout each); 502 when CloudFront cannot connect` },
    timeoutAttempts: {
      source: 'doc',
      ref: `${CLOUDFRONT}: after the response timeout, GET and HEAD are tried again, up to the connection attempts (3); other methods are not`,
    },
    retryCachedFailures: { source: 'assumption', ref: 'what CloudFront does when a reused origin connection fails under a request is not documented: no retry' },
    cancelOnAbandon: { source: 'assumption', ref: 'not documented: the origin request is dropped when the viewer goes away' },
  },
};
