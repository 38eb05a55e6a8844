import type { Preset } from './preset.js';

/** The Node.js app: an HTTP server whose upstream is its Sequelize database pool. */
export const app: Preset<'l7Proxy'> = {
  name: 'app',
  kind: 'l7Proxy',
  perInstance: true,
  participant: 'NODE',
  params: {
    upstreamPolicy: 'pooled',
    workers: 1,
    maxUpstream: 5, // pool max 5 (Sequelize default)
    acquireTimeout: 60_000, // pool acquire 60 s (Sequelize default)
    upstreamIdleTimeout: 10_000, // pool idle 10 s (Sequelize default)
    downstreamIdleTimeout: 5_000, // server.keepAliveTimeout 5 s (Node.js default)
    downstreamMaxRequests: null,
    requestTimeout: null,
    timeoutStatus: 504,
  },
  about: 'keepAliveTimeout 5 s (Node.js default); database pool max 5, min 0, idle 10 s, acquire 60 s (Sequelize defaults)',
};
