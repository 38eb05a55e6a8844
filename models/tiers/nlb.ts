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
    finEndsFlow: false,
    resetUnhealthyFlows: true,
  },
  about: 'pass-through, no multiplexing; idle flows dropped silently after 350 s, the next sender gets a reset; no new flows to an unhealthy target, fail-open when all are (doc)',
  sources: {
    idleTimeout: {
      source: 'doc',
      ref: 'NLB User Guide: TCP idle timeout 350 seconds; "if a client or target sends data after the idle timeout ... it receives a TCP RST"',
    },
    finEndsFlow: {
      source: 'assumption',
      ref: 'not documented whether a FIN removes the flow or it stays in the table until its idle timeout; taken as staying (so ActiveFlowCount counts it)',
    },
    resetUnhealthyFlows: {
      source: 'doc',
      ref: 'NLB target group health checks: for a target that becomes unhealthy the load balancer sends a TCP RST for packets received on the client connections associated with it, unless it fails open (every target unhealthy)',
    },
  },
};
