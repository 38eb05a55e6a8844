import type { Preset } from './preset.js';

const SEQUELIZE = 'Sequelize v6 src/dialects/abstract/connection-manager.js pool defaults';
const POOL = 'sequelize-pool src/Pool.ts';
const NODE = 'Node.js http.Server';

/**
 * The Node.js app: an HTTP server whose upstream is its Sequelize database
 * pool. Node.js 18 to 22.18 and 24.0 to 24.5 (the lines without a keep-alive
 * buffer); `appNode24` and `appNode26` are the later lines.
 */
export const app: Preset<'l7Proxy'> = {
  name: 'app',
  kind: 'l7Proxy',
  perInstance: true,
  participant: 'NODE',
  params: {
    upstreamPolicy: 'pooled',
    workers: 1,
    reuse: 'mru',
    maxUpstream: 5,
    acquireTimeout: 60_000,
    upstreamIdleTimeout: 10_000,
    firstRequestTimeout: null,
    downstreamIdleTimeout: 5_000,
    downstreamMaxRequests: null,
    requestTimeout: null,
    timeoutStatus: 504,
    connectAttempts: 1,
    timeoutAttempts: 1,
    retryCachedFailures: false,
    cancelOnAbandon: false,
  },
  about: 'keepAliveTimeout 5 s from the end of the last response (Node.js); database pool max 5, idle 10 s, acquire 60 s, most recently used first, queries never cancelled (Sequelize, mysql2)',
  sources: {
    upstreamPolicy: { source: 'doc', ref: `${SEQUELIZE}: a pool of database connections, reused` },
    workers: { source: 'doc', ref: 'one pool per process' },
    reuse: { source: 'doc', ref: `${POOL}: release pushes onto the end of _availableObjects and _dispense pops the last: most recently released first` },
    maxUpstream: { source: 'doc', ref: `${SEQUELIZE}: max 5` },
    acquireTimeout: { source: 'doc', ref: `${SEQUELIZE}: acquire 60000 ms` },
    upstreamIdleTimeout: {
      source: 'doc',
      ref: `${SEQUELIZE}: idle 10000 ms, evict 1000 ms (${POOL}: a connection idle past 10 s is removed at the next 1 s eviction check, so 10 to 11 s; modelled at 10 s)`,
    },
    firstRequestTimeout: {
      source: 'assumption',
      ref: `${NODE}: no timer before the first request up to v17; from v18 headersTimeout is checked every 30 s (connectionsCheckingInterval), not confirmed for a connection that never sends: none modelled`,
    },
    downstreamIdleTimeout: {
      source: 'doc',
      ref: `${NODE} keepAliveTimeout 5000 ms (v8 to v24), counted after the last response was written; no keepAliveTimeoutBuffer before v22.19 and v24.6`,
    },
    downstreamMaxRequests: { source: 'doc', ref: `${NODE} maxRequestsPerSocket 0 (no limit) by default` },
    requestTimeout: { source: 'doc', ref: 'Sequelize has no query timeout by default: the app waits for its query' },
    timeoutStatus: { source: 'doc', ref: 'unused: no request timeout' },
    connectAttempts: { source: 'doc', ref: "Sequelize's retry option (max 5) only matches SQLITE_BUSY by default: no retry against MySQL" },
    timeoutAttempts: { source: 'doc', ref: 'no query timeout, so nothing to retry' },
    retryCachedFailures: { source: 'doc', ref: "Sequelize's retry option only matches SQLITE_BUSY by default" },
    cancelOnAbandon: {
      source: 'doc',
      ref: 'Sequelize has no query cancel (sequelize#11395, open); mysqljs/mysql#1164: client timeouts do not abort the server query: the pool connection stays busy until the query returns',
    },
  },
};
