import type { Preset } from './preset.js';

/** AWS Network Load Balancer: one flow per TCP connection, target fixed for the flow's life. */
export const nlb: Preset<'l4LoadBalancer'> = {
  name: 'nlb',
  kind: 'l4LoadBalancer',
  perInstance: false,
  participant: 'NLB',
  params: {
    targets: 2, // replaced by the topology's instance count
    idleTimeout: 350_000,
  },
  about: 'pass-through, no multiplexing; idle flows dropped silently after 350 s (doc), the next sender gets a reset',
  sources: {
    idleTimeout: {
      source: 'doc',
      ref: 'NLB User Guide: TCP idle timeout 350 seconds; "if a client or target sends data after the idle timeout ... it receives a TCP RST"',
    },
  },
};
