import type { Preset } from './preset.js';

const SEQUELIZE = 'Sequelize v6 connection-manager.js pool defaults';

/** The Node.js app: an HTTP server whose upstream is its Sequelize database pool. */
export const app: Preset<'l7Proxy'> = {
  name: 'app',
  kind: 'l7Proxy',
  perInstance: true,
  participant: 'NODE',
  params: {
    upstreamPolicy: 'pooled',
    workers: 1,
    maxUpstream: 5,
    acquireTimeout: 60_000,
    upstreamIdleTimeout: 10_000,
    downstreamIdleTimeout: 5_000,
    downstreamMaxRequests: null,
    requestTimeout: null,
    timeoutStatus: 504,
  },
  about: 'keepAliveTimeout 5 s (Node.js default); database pool max 5, min 0, idle 10 s, acquire 60 s (Sequelize defaults)',
  sources: {
    upstreamPolicy: { source: 'doc', ref: `${SEQUELIZE}: a pool of database connections, reused` },
    workers: { source: 'doc', ref: 'one pool per process' },
    maxUpstream: { source: 'doc', ref: `${SEQUELIZE}: max 5` },
    acquireTimeout: { source: 'doc', ref: `${SEQUELIZE}: acquire 60000 ms` },
    upstreamIdleTimeout: { source: 'doc', ref: `${SEQUELIZE}: idle 10000 ms` },
    downstreamIdleTimeout: { source: 'doc', ref: 'Node.js http.Server keepAliveTimeout default 5000 ms (v8 through v24)' },
    downstreamMaxRequests: { source: 'doc', ref: 'Node.js has no request limit per connection by default (maxRequestsPerSocket 0)' },
    requestTimeout: { source: 'doc', ref: 'the app waits for its query as long as it takes (Sequelize has no query timeout by default)' },
    timeoutStatus: { source: 'doc', ref: 'unused: no request timeout' },
  },
};
