import { clientConnection, clientDescriptor, type ClientParams } from './client.js';
import { connectionLimiter, connectionLimiterDescriptor, type ConnectionLimiterParams } from './connectionLimiter.js';
import { l4LoadBalancer, l4LoadBalancerDescriptor, type L4LoadBalancerParams } from './l4LoadBalancer.js';
import { l7Proxy, l7ProxyDescriptor, type L7ProxyParams } from './l7Proxy.js';
import { healthChecker, healthCheckerDescriptor, type HealthCheckerParams } from './healthChecker.js';
import { server, serverDescriptor, type ServerParams } from './server.js';

/**
 * The parameters of every machine kind, by kind: topologies are typed by it.
 * An interface, so that a machine kind registered elsewhere (a plug-in, a
 * test fixture) can add itself with `declare module`.
 */
export interface ParamsOf {
  client: ClientParams;
  l7Proxy: L7ProxyParams;
  l4LoadBalancer: L4LoadBalancerParams;
  connectionLimiter: ConnectionLimiterParams;
  server: ServerParams;
  healthChecker: HealthCheckerParams;
}

export type MachineKind = keyof ParamsOf;


export { describeMachine, REQUESTER_ROLES, type AnyMachineDescriptor, type ComposeContext, type ConnectionView, type Footprint, type IdField, type MachineDescriptor, type Provenance, type Source, type TierRole } from './descriptor.js';
export { builtinDescriptors, descriptorOf, descriptorOfFileKind, machineDescriptors, registerMachineKind, registryVersion, unregisterMachineKind } from './registry.js';
export type { ClientParams, ConnectionLimiterParams, HealthCheckerParams, L4LoadBalancerParams, L7ProxyParams, ServerParams };
export {
  clientConnection,
  clientDescriptor,
  connectionLimiter,
  connectionLimiterDescriptor,
  healthChecker,
  healthCheckerDescriptor,
  l4LoadBalancer,
  l4LoadBalancerDescriptor,
  l7Proxy,
  l7ProxyDescriptor,
  server,
  serverDescriptor,
};
