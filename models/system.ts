import type { AnyStateMachine } from 'xstate';
import { InputError } from './inputError.js';
import { machines, passThroughKinds, type MachineKind } from './machines/index.js';
import type { TierSpec, Topology } from './topologies/topology.js';

/** One running copy of a tier: `gateway`, `connQueue.2`, `client.1`. */
export interface InstanceSpec {
  id: string;
  tier: TierSpec;
  tierIndex: number;
  /** 1-based copy number for per-instance tiers and clients, 0 for shared tiers. */
  copy: number;
  machine: AnyStateMachine;
  input: unknown;
}

/**
 * A topology composed into a system: the concrete instances, which machine
 * runs each, and who opens connections to whom. The kernel runs it.
 */
export interface SystemModel {
  topology: Topology;
  clients: number;
  requests: number;
  instances: InstanceSpec[];
  byId: ReadonlyMap<string, InstanceSpec>;
  /** The instance a connection opened by `from` reaches (`target` for pass-through tiers). */
  nextHop(from: string, target?: number): string | null;
}

export interface Bounds {
  clients: number;
  requests: number;
}

export function instanceId(tier: TierSpec, copy: number): string {
  return copy === 0 ? tier.name : `${tier.name}.${copy}`;
}

/** The tier name of an instance id (`connQueue.2` -> `connQueue`). */
export function tierOf(instance: string): string {
  const dot = instance.indexOf('.');
  return dot < 0 ? instance : instance.slice(0, dot);
}

function machineInput(tier: TierSpec, copy: number, topology: Topology, bounds: Bounds): unknown {
  switch (tier.kind) {
    case 'client':
      return { index: copy, params: { ...tier.params, requests: bounds.requests } };
    case 'l4LoadBalancer':
      return { params: { ...tier.params, targets: topology.instances } };
    default:
      return { params: tier.params };
  }
}

export function checkTopologyShape(topology: Topology): void {
  const where = `topology '${topology.name}'`;
  const tiers = topology.tiers;
  if (tiers.length < 2) throw new InputError(`${where}: needs at least a client and one more tier, found ${tiers.length}`);
  tiers.forEach((t, i) => {
    if (!(t.kind in machines))
      throw new InputError(`${where}: tiers[${i}].kind is '${t.kind}', allowed: ${Object.keys(machines).join(', ')}`);
    if ((i === 0) !== (t.kind === 'client'))
      throw new InputError(`${where}: tiers[${i}] ('${t.name}'): the client must be the first tier and only the first`);
    if (tiers.findIndex((u) => u.name === t.name) !== i)
      throw new InputError(`${where}: tiers[${i}].name '${t.name}' is used twice; tier names must be unique`);
    if (passThroughKinds.has(t.kind as MachineKind)) {
      const before = tiers[i - 1];
      const after = tiers[i + 1];
      if (!before || !after || passThroughKinds.has(before.kind) || passThroughKinds.has(after.kind))
        throw new InputError(`${where}: tiers[${i}] ('${t.name}') passes connections through, so it must sit between two terminating tiers`);
      if (t.perInstance) throw new InputError(`${where}: tiers[${i}] ('${t.name}') is a load balancer and cannot be per-instance`);
    }
    const prev = tiers[i - 1];
    if (t.perInstance && prev && !prev.perInstance && !passThroughKinds.has(prev.kind))
      throw new InputError(`${where}: tiers[${i}] ('${t.name}') is per-instance, so it must follow a load balancer or another per-instance tier`);
  });
  if (!Number.isInteger(topology.instances) || topology.instances < 1)
    throw new InputError(`${where}: instances must be a whole number >= 1, found ${topology.instances}`);
}

export function composeSystem(topology: Topology, bounds: Bounds): SystemModel {
  checkTopologyShape(topology);
  const instances: InstanceSpec[] = [];
  topology.tiers.forEach((tier, tierIndex) => {
    const copies = tier.kind === 'client' ? bounds.clients : tier.perInstance ? topology.instances : 0;
    const numbers = copies === 0 ? [0] : Array.from({ length: copies }, (_, k) => k + 1);
    for (const copy of numbers)
      instances.push({
        id: instanceId(tier, copy),
        tier,
        tierIndex,
        copy,
        machine: machines[tier.kind] as AnyStateMachine,
        input: machineInput(tier, copy, topology, bounds),
      });
  });
  const byId = new Map(instances.map((i) => [i.id, i]));
  const nextHop = (from: string, target?: number): string | null => {
    const spec = byId.get(from);
    const next = spec && topology.tiers[spec.tierIndex + 1];
    if (!spec || !next) return null;
    if (!next.perInstance) return instanceId(next, 0);
    if (passThroughKinds.has(spec.tier.kind)) return instanceId(next, (target ?? 0) + 1);
    return instanceId(next, spec.copy);
  };
  return { topology, clients: bounds.clients, requests: bounds.requests, instances, byId, nextHop };
}
