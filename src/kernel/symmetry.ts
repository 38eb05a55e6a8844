import { copyOf, instanceId, tierOf } from '../../models/ids.js';
import type { IdField } from '../../models/machines/index.js';
import type { SystemModel } from '../../models/system.js';
import type { SystemState } from './state.js';

/**
 * The symmetry structure of a model, for canonical forms: which copies are
 * interchangeable (clients, instances behind the load balancer, a fleet's
 * workers), how each machine's context names them (its descriptor's `ids`),
 * and which permutations of copies are worth trying for a given state.
 */

/** How a machine's context fields are renamed: scalar fields, and fields of the elements of array fields. */
export interface FieldRoles {
  scalar: Map<string, IdField['role']>;
  element: Map<string, Map<string, IdField['role']>>;
}

function rolesOf(ids: readonly IdField[]): FieldRoles {
  const roles: FieldRoles = { scalar: new Map(), element: new Map() };
  for (const { path, role } of ids) {
    const [field, sub] = path.split('[].') as [string, string | undefined];
    if (sub === undefined) roles.scalar.set(field, role);
    else {
      let m = roles.element.get(field);
      if (!m) roles.element.set(field, (m = new Map()));
      m.set(sub, role);
    }
  }
  return roles;
}

type Signature = (value: unknown, context: Readonly<Record<string, unknown>>) => string;

/** Symmetry structure of a model, computed once. */
export interface Shape {
  clientTier: string;
  /** Request-id prefix (`r`, `h`) -> the tier whose copies send them. */
  reqTiers: Map<string, string>;
  clients: number;
  copyTiers: Set<string>;
  instances: number;
  /** Instance ids in model order. */
  ids: string[];
  /** Per instance id: how its machine's context names copies, targets and workers (its descriptor's `ids`). */
  roles: Map<string, FieldRoles>;
  /** Instances whose workers are interchangeable (a fleet): worker numbers are relabelled by first appearance. */
  fleet: Set<string>;
  /** Per instance id: its descriptor's name-independent signature of a requester's state, if any. */
  signature: Map<string, Signature>;
  perms: Permutation[];
}

const shapes = new WeakMap<SystemModel, Shape>();

function permutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i + 1)];
  const out: number[][] = [];
  for (const p of permutations(n - 1))
    for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n, ...p.slice(k)]);
  return out;
}

export function shapeOf(model: SystemModel): Shape {
  let s = shapes.get(model);
  if (s) return s;
  const clientTier = model.topology.tiers[0]!.name;
  const copyTiers = new Set(model.instances.filter((i) => i.copy > 0).map((i) => i.tier.name));
  const reqTiers = new Map<string, string>();
  for (const i of model.instances) {
    const prefix = i.descriptor.requestPrefix?.(i.tier.params);
    if (prefix !== undefined) reqTiers.set(prefix, i.tier.name);
  }
  const fleet = new Set(model.instances.filter((i) => (i.descriptor.workers?.(i.tier.params) ?? null) !== null).map((i) => i.id));
  const hasPerInstance = model.instances.some((i) => i.copy > 0 && i.tier.name !== clientTier);
  const instances = hasPerInstance ? model.topology.instances : 1;
  const perms: Shape['perms'] = [];
  for (const c of permutations(model.clients)) for (const i of permutations(instances)) perms.push({ c, i });
  const signature = new Map<string, Signature>();
  for (const i of model.instances) if (i.descriptor.signature) signature.set(i.id, i.descriptor.signature);
  s = {
    clientTier,
    reqTiers,
    clients: model.clients,
    copyTiers,
    instances,
    ids: model.instances.map((i) => i.id),
    roles: new Map(model.instances.map((i) => [i.id, rolesOf(i.descriptor.ids)])),
    fleet,
    signature,
    perms,
  };
  shapes.set(model, s);
  return s;
}

/** A permutation of clients and instances: old copy (index + 1) -> new copy. */
export interface Permutation {
  c: number[];
  i: number[];
}

/** The permutation that renames nothing. */
export const identityPermutation = (shape: Shape): Permutation => ({
  c: Array.from({ length: shape.clients }, (_, k) => k + 1),
  i: Array.from({ length: shape.instances }, (_, k) => k + 1),
});

/** Signatures of each client copy and instance copy that do not depend on names: they prune permutations. */
function signatures(state: SystemState, shape: Shape): { c: string[]; i: string[] } {
  const c: string[] = [];
  const i: string[] = [];
  for (let k = 1; k <= shape.clients; k++) {
    const id = instanceId(shape.clientTier, k);
    const inst = state.instances[id];
    const sign = shape.signature.get(id);
    c.push(inst && sign ? sign(inst.value, inst.context) : genericSignature([id], state));
  }
  for (let k = 1; k <= shape.instances; k++)
    i.push(genericSignature(shape.ids.filter((id) => copyOf(id) === k && tierOf(id) !== shape.clientTier), state));
  return { c, i };
}

/** The sizes of every list in the instances' contexts, and their state values: nothing here depends on names. */
function genericSignature(ids: readonly string[], state: SystemState): string {
  const parts: string[] = [];
  for (const id of ids) {
    const inst = state.instances[id];
    if (!inst) continue;
    for (const f in inst.context) {
      const v = inst.context[f];
      if (Array.isArray(v)) parts.push(`${f}:${v.length}`);
    }
    parts.push(JSON.stringify(inst.value));
  }
  return parts.join(',');
}

/** Permutations (old copy -> new copy) that put copies in signature order. */
export function candidatePerms(shape: Shape, state: SystemState): Permutation[] {
  if (shape.perms.length === 1) return shape.perms;
  const sig = signatures(state, shape);
  const ok = (perm: number[], s: string[]) => {
    // the copy renamed k must have a signature <= the one renamed k+1
    const inv: number[] = [];
    perm.forEach((to, from) => (inv[to] = from));
    for (let k = 1; k < perm.length; k++) if (s[inv[k]!]! > s[inv[k + 1]!]!) return false;
    return true;
  };
  return shape.perms.filter((p) => ok(p.c, sig.c) && ok(p.i, sig.i));
}

/** How many symmetric copies the model has: clients, instances, fleet workers (for reports). */
export function symmetryGroups(model: SystemModel): { clients: number; instances: number; fleetWorkers: number } {
  const shape = shapeOf(model);
  const fleetWorkers = model.instances
    .filter((i) => shape.fleet.has(i.id))
    .reduce((n, i) => n + (i.descriptor.workers?.(i.tier.params) ?? 0), 0);
  return { clients: shape.clients, instances: shape.instances, fleetWorkers };
}
