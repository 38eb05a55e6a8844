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
    maxUpstream: null,
    acquireTimeout: null,
    upstreamIdleTimeout: 5_000,
    downstreamIdleTimeout: null,
    downstreamMaxRequests: null,
    requestTimeout: 30_000,
    timeoutStatus: 504,
  },
  about: 'pooled origin connections, origin keep-alive 5 s, response timeout 30 s (CloudFront docs)',
  sources: {
    upstreamPolicy: { source: 'doc', ref: `${CLOUDFRONT}: CloudFront keeps origin connections open for the keep-alive timeout and reuses them` },
    workers: { source: 'assumption', ref: 'one pool: how CloudFront spreads origin connections over its edge servers is not documented' },
    maxUpstream: { source: 'assumption', ref: 'no documented limit on origin connections' },
    acquireTimeout: { source: 'assumption', ref: 'no pool limit, so nothing waits for a connection' },
    upstreamIdleTimeout: { source: 'doc', ref: `${CLOUDFRONT}: origin keep-alive timeout, default 5 seconds` },
    downstreamIdleTimeout: { source: 'assumption', ref: 'the viewer-side idle timeout is not modelled: JMeter holds its connections' },
    downstreamMaxRequests: { source: 'assumption', ref: 'no documented request limit per viewer connection' },
    requestTimeout: { source: 'doc', ref: `${CLOUDFRONT}: response timeout (origin read timeout), default 30 seconds` },
    timeoutStatus: { source: 'doc', ref: `${CLOUDFRONT}: 504 when the origin does not respond in time` },
  },
};
