import type { Preset } from './preset.js';

/** The load generator (JMeter in the seed): long-lived keep-alive connections, one request at a time. */
export const client: Preset<'client'> = {
  name: 'client',
  kind: 'client',
  perInstance: false,
  participant: 'JMETER',
  params: { requests: 2, timeout: null },
  about: 'HTTP/1.1 keep-alive (JMeter default), no pipelining; reconnects when the server closes; no client timeout and no retry by default (JMeter)',
  sources: {
    timeout: {
      source: 'doc',
      ref: 'JMeter HTTP Request sampler: connect and response timeouts empty by default, applied only when > 0 (HTTPHC4Impl), i.e. no client timeout',
    },
  },
};
