import type { Preset } from './preset.js';

/** RDS MySQL: counts connections and answers queries. */
export const database: Preset<'server'> = {
  name: 'database',
  kind: 'server',
  perInstance: false,
  participant: 'RDS',
  params: { responseTime: [1, 20], idleTimeout: null },
  about: 'answers each query in 1-20 ms; wait_timeout (8 h) is beyond any modelled horizon',
};
