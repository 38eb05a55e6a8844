import type { Preset } from './preset.js';

/** The load generator (JMeter in the seed): long-lived keep-alive connections, one request at a time. */
export const client: Preset<'client'> = {
  name: 'client',
  kind: 'client',
  perInstance: false,
  participant: 'JMETER',
  params: { requests: 2, timeout: null },
  about: 'HTTP/1.1 keep-alive, no pipelining; reconnects when the server closes; no client timeout by default',
};
