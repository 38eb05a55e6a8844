import type { Preset } from './preset.js';

/** The seed's Golang L4 connection queue in front of NGINX on each instance. */
export const connQueue: Preset<'connectionLimiter'> = {
  name: 'connQueue',
  kind: 'connectionLimiter',
  perInstance: true,
  participant: 'ConnCtrl',
  params: { limit: 15 },
  about: '15 active connections; the rest accepted and parked FIFO, never read or written (seed)',
  sources: {
    limit: { source: 'seed', ref: '"a limit of 15 active TCP connections it allowed to send/rcv packets on; any additional ... accepted but placed on a queue and no read/write was done"' },
  },
};
