import type { Preset } from './preset.js';

/** RDS MySQL: counts connections and answers queries. */
export const database: Preset<'server'> = {
  name: 'database',
  kind: 'server',
  perInstance: false,
  participant: 'RDS',
  params: { responseTime: [1, 20], idleTimeout: null },
  about: 'answers each query in 1-20 ms; wait_timeout (8 h) is beyond any modelled horizon',
  sources: {
    responseTime: { source: 'assumption', ref: 'the seed reports no database slowdown ("time and time again the answer was no"): a fast query, 1-20 ms' },
    idleTimeout: { source: 'doc', ref: 'MySQL wait_timeout default 28800 s (8 h), beyond any modelled horizon: no idle close' },
  },
};
