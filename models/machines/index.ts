import { clientConnection, type ClientParams } from './client.js';
import { connectionLimiter, type ConnectionLimiterParams } from './connectionLimiter.js';
import { l4LoadBalancer, type L4LoadBalancerParams } from './l4LoadBalancer.js';
import { l7Proxy, type L7ProxyParams } from './l7Proxy.js';
import { server, type ServerParams } from './server.js';

/** Every kind of tier machine, by the name topologies use for it. */
export const machines = {
  client: clientConnection,
  l7Proxy,
  l4LoadBalancer,
  connectionLimiter,
  server,
} as const;

export type MachineKind = keyof typeof machines;
export const machineKinds = Object.keys(machines) as MachineKind[];

export interface ParamsOf {
  client: ClientParams;
  l7Proxy: L7ProxyParams;
  l4LoadBalancer: L4LoadBalancerParams;
  connectionLimiter: ConnectionLimiterParams;
  server: ServerParams;
}

/** Kinds that pass connections through instead of terminating them (one flow per connection). */
export const passThroughKinds: ReadonlySet<MachineKind> = new Set(['l4LoadBalancer']);

export type { ClientParams, ConnectionLimiterParams, L4LoadBalancerParams, L7ProxyParams, ServerParams };
export { clientConnection, connectionLimiter, l4LoadBalancer, l7Proxy, server };
