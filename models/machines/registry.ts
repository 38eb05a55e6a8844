import { InputError } from '../inputError.js';
import { clientDescriptor } from './client.js';
import { connectionLimiterDescriptor } from './connectionLimiter.js';
import { healthCheckerDescriptor } from './healthChecker.js';
import type { AnyMachineDescriptor } from './descriptor.js';
import { l4LoadBalancerDescriptor } from './l4LoadBalancer.js';
import { l7ProxyDescriptor } from './l7Proxy.js';
import { serverDescriptor } from './server.js';

/**
 * The machine kinds a topology may use, by kind. The shipped kinds register
 * themselves (models/machines/index.ts); a plug-in or a test registers its
 * own with `registerMachineKind` and is then usable everywhere a shipped kind
 * is: topologies, topology files, `check`, exhaustive search, diagrams.
 */
const byKind = new Map<string, AnyMachineDescriptor>();
const byFileKind = new Map<string, AnyMachineDescriptor>();
let version = 0;

const KIND = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

export function registerMachineKind(d: AnyMachineDescriptor): void {
  if (!KIND.test(d.kind) || !KIND.test(d.fileKind))
    throw new Error(`machine kind '${d.kind}' (file kind '${d.fileKind}'): kinds are a letter, then letters or digits (at most 32)`);
  const same = byKind.get(d.kind);
  if (same === d) return;
  if (same) throw new Error(`machine kind '${d.kind}' is registered already`);
  if (byFileKind.has(d.fileKind)) throw new Error(`file kind '${d.fileKind}' is registered already (by '${byFileKind.get(d.fileKind)!.kind}')`);
  byKind.set(d.kind, d);
  byFileKind.set(d.fileKind, d);
  version += 1;
}

/** Removes a kind registered by a plug-in or test (the shipped kinds stay). */
export function unregisterMachineKind(kind: string): void {
  const d = byKind.get(kind);
  if (!d) return;
  byKind.delete(kind);
  byFileKind.delete(d.fileKind);
  version += 1;
}

/** Every registered kind, in registration order (the shipped ones first). */
export function machineDescriptors(): readonly AnyMachineDescriptor[] {
  return [...byKind.values()];
}

/** Changes whenever a kind is registered or removed: caches built from the registry key on it. */
export function registryVersion(): number {
  return version;
}

/** The descriptor of a machine kind, or one clear error naming the kinds allowed. */
export function descriptorOf(kind: string): AnyMachineDescriptor {
  const d = byKind.get(kind);
  if (!d) throw new InputError(`unknown machine kind '${kind}'; allowed: ${[...byKind.keys()].join(', ')}`);
  return d;
}

/** The descriptor of a topology-file kind (`proxy`), or undefined. */
export function descriptorOfFileKind(fileKind: string): AnyMachineDescriptor | undefined {
  return byFileKind.get(fileKind);
}

/** The shipped machine kinds, in the order listings and docs present them. */
export const builtinDescriptors: readonly AnyMachineDescriptor[] = [
  clientDescriptor,
  l7ProxyDescriptor,
  l4LoadBalancerDescriptor,
  connectionLimiterDescriptor,
  serverDescriptor,
  healthCheckerDescriptor,
];
for (const d of builtinDescriptors) registerMachineKind(d);
