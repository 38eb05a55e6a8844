import type { AnyStateMachine } from 'xstate';
import { instanceId as idOf } from './ids.js';
import { InputError } from './inputError.js';
import { descriptorOf, machineDescriptors, type AnyMachineDescriptor, type TierRole } from './machines/index.js';
import type { TierSpec, Topology } from './topologies/topology.js';

/** One running copy of a tier: `gateway`, `connQueue.2`, `client.1`. */
export interface InstanceSpec {
  id: string;
  tier: TierSpec;
  tierIndex: number;
  /** 1-based copy number for per-instance tiers and clients, 0 for shared tiers. */
  copy: number;
  /** What its machine kind says about itself: the kernel and drivers read this, never the machine's context. */
  descriptor: AnyMachineDescriptor;
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
  return idOf(tier.name, copy);
}

/** The role of a tier's machine kind; undefined for an unknown kind. */
function roleOf(tier: Pick<TierSpec, 'kind'>): TierRole | undefined {
  return machineDescriptors().find((d) => d.kind === tier.kind)?.role;
}

/** Whether a tier passes connections through rather than terminating them (an L4 load balancer). */
export function passesThrough(tier: Pick<TierSpec, 'kind'>): boolean {
  return roleOf(tier) === 'passThrough';
}

/** One thing wrong with a topology's shape: the tier (index) or top-level field it is about, and what. */
export interface ShapeProblem {
  /** Index into `tiers`, or null for a problem of the topology as a whole. */
  tier: number | null;
  /** The field at fault (`name`, `kind`, `perInstance`, `instances`, `tiers`), or null for the tier's place in the pipeline. */
  field: string | null;
  message: string;
}

/** Tier names end up in instance ids (`connQueue.2`) and connection ids (`gateway>nlb#3`). */
const TIER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * Every problem with the shape of a topology, in pipeline order: the client
 * first and only first, a server last and only last, unique well-formed
 * names, pass-through tiers between terminating ones, per-instance tiers
 * behind a load balancer. Reads only names, kinds, perInstance and
 * `instances`, so a topology file can be checked even when some parameters
 * are wrong. Parameter values are the topology file's schema's concern.
 */
export function topologyShapeProblems(topology: Topology): ShapeProblem[] {
  const problems: ShapeProblem[] = [];
  const add = (tier: number | null, field: string | null, message: string) => problems.push({ tier, field, message });
  const tiers = topology.tiers;
  if (tiers.length < 2) add(null, 'tiers', `needs at least a client and one more tier, found ${tiers.length}`);
  tiers.forEach((t, i) => {
    const role = roleOf(t);
    if (role === undefined) {
      add(i, 'kind', `kind is '${t.kind}', allowed: ${machineDescriptors().map((d) => d.kind).join(', ')}`);
      return;
    }
    if (typeof t.name !== 'string' || !TIER_NAME.test(t.name))
      add(i, 'name', `${JSON.stringify(t.name)} is not a tier name: a letter, then letters, digits, - or _ (at most 32); names end up in ids like connQueue.2 and gateway>nlb#3`);
    if (role === 'probe') {
      add(i, 'kind', `a ${t.kind} is not a tier of the pipeline: declare it under healthCheck`);
      return;
    }
    if (i === 0 && role !== 'client') add(i, 'kind', `the first tier must be the client, found a ${t.kind}`);
    if (i > 0 && role === 'client') add(i, 'kind', 'the client must be the first tier and only the first');
    if (i === tiers.length - 1 && i > 0 && role !== 'server')
      add(i, 'kind', `the last tier must be a server (it answers requests); a ${t.kind} forwards to a next tier and there is none`);
    if (i < tiers.length - 1 && role === 'server')
      add(i, 'kind', 'a server answers every request itself, so it must be the last tier; the tiers after it would never be reached');
    if (tiers.findIndex((u) => u.name === t.name) !== i) add(i, 'name', `'${t.name}' is used twice; tier names must be unique`);
    const prev = tiers[i - 1];
    if (role === 'passThrough') {
      const after = tiers[i + 1];
      const what = (u: TierSpec | undefined) => (u ? `'${u.name}' (${u.kind})` : 'nothing');
      if (!prev || !after || passesThrough(prev) || passesThrough(after))
        add(i, null, `passes connections through, so it must sit between two terminating tiers; found ${what(prev)} before it and ${what(after)} after it`);
      if (t.perInstance) add(i, 'perInstance', 'a load balancer cannot be per-instance: it spreads connections over the instances');
    }
    if (t.perInstance && prev && !prev.perInstance && !passesThrough(prev))
      add(i, 'perInstance', `a per-instance tier must follow a load balancer or another per-instance tier; '${prev.name}' before it is shared`);
    if (!t.perInstance && prev && passesThrough(prev))
      add(i, 'perInstance', `follows load balancer '${prev.name}', so it must be per-instance (one copy on each of its targets)`);
  });
  if (!Number.isInteger(topology.instances) || topology.instances < 1)
    add(null, 'instances', `must be a whole number >= 1, found ${topology.instances}`);
  return problems;
}

/** Throws one InputError listing every shape problem of `topology`, if it has any. */
export function checkTopologyShape(topology: Topology): void {
  const problems = topologyShapeProblems(topology);
  if (problems.length === 0) return;
  const line = (p: ShapeProblem) => {
    const tier = p.tier === null ? null : topology.tiers[p.tier];
    const at = tier ? `tiers[${p.tier}] ('${tier.name}')${p.field ? `.${p.field}` : ''}` : (p.field ?? 'topology');
    return `${at}: ${p.message}`;
  };
  const where = `topology '${topology.name}'`;
  throw new InputError(
    problems.length === 1 ? `${where}: ${line(problems[0]!)}` : `${where}: ${problems.length} problems:\n${problems.map((p) => `  ${line(p)}`).join('\n')}`,
  );
}

/**
 * The health checker of a topology as a tier of its own (a client machine),
 * or null. It is not in `topology.tiers`: it stands beside the pipeline and
 * enters it at `healthCheck.entersAt`, per instance when that tier is.
 */
export function healthTierOf(topology: Topology): (TierSpec & { kind: 'healthChecker' }) | null {
  const hc = topology.healthCheck;
  if (!hc) return null;
  const entry = topology.tiers.find((t) => t.name === hc.entersAt);
  const perInstance = entry?.perInstance ?? false;
  return {
    name: hc.name,
    kind: 'healthChecker',
    perInstance,
    participant: hc.participant,
    params: {
      requests: hc.checks,
      timeout: hc.timeout,
      interval: hc.interval,
      healthyThreshold: hc.healthyThreshold,
      unhealthyThreshold: hc.unhealthyThreshold,
      reportTo: reportsTo(topology),
      target: 0,
    },
  };
}

/**
 * The load balancer a health checker's results go to: the one named by
 * `healthCheck.reportsTo`, else the pass-through tier right in front of the
 * per-instance tiers (the target group's own checks); null when results go
 * nowhere (a shared checker, or `reportsTo: null`).
 */
function reportsTo(topology: Topology): string | null {
  const hc = topology.healthCheck!;
  if (hc.reportsTo !== undefined) return hc.reportsTo;
  const entry = topology.tiers.find((t) => t.name === hc.entersAt);
  if (!entry?.perInstance) return null;
  return topology.tiers.find((t) => passesThrough(t))?.name ?? null;
}

/** Every tier of a topology that has instances in a run: its pipeline, then its health checker if any. */
export function tiersOf(topology: Topology): TierSpec[] {
  const health = healthTierOf(topology);
  return health ? [...topology.tiers, health] : [...topology.tiers];
}

function checkHealthCheck(topology: Topology): void {
  const hc = topology.healthCheck;
  if (!hc) return;
  const where = `topology '${topology.name}': healthCheck`;
  const i = topology.tiers.findIndex((t) => t.name === hc.entersAt);
  const terminating = topology.tiers.filter((t, k) => k > 0 && !passesThrough(t)).map((t) => t.name);
  if (i <= 0 || passesThrough(topology.tiers[i]!))
    throw new InputError(`${where}.entersAt is '${hc.entersAt}'; allowed: ${terminating.join(', ')} (a terminating tier after the client)`);
  if (topology.tiers.some((t) => t.name === hc.name))
    throw new InputError(`${where}.name '${hc.name}' is also a tier name; the health checker needs a name of its own`);
  const to = hc.reportsTo;
  if (to !== undefined && to !== null && !topology.tiers.some((t) => t.name === to && passesThrough(t)))
    throw new InputError(`${where}.reportsTo is '${to}'; allowed: ${topology.tiers.filter(passesThrough).map((t) => t.name).join(', ') || 'none (no load balancer)'}, or null`);
  for (const [field, min] of [['interval', 1], ['timeout', 1], ['checks', 0], ['healthyThreshold', 1], ['unhealthyThreshold', 1]] as const)
    if (!Number.isInteger(hc[field]) || hc[field] < min)
      throw new InputError(`${where}.${field} must be a whole number >= ${min}, found ${hc[field]}`);
}

export function composeSystem(topology: Topology, bounds: Bounds): SystemModel {
  checkTopologyShape(topology);
  checkHealthCheck(topology);
  const instances: InstanceSpec[] = [];
  topology.tiers.forEach((tier, tierIndex) => {
    const descriptor = descriptorOf(tier.kind);
    const copies = descriptor.role === 'client' ? bounds.clients : tier.perInstance ? topology.instances : 0;
    const numbers = copies === 0 ? [0] : Array.from({ length: copies }, (_, k) => k + 1);
    for (const copy of numbers)
      instances.push({
        id: instanceId(tier, copy),
        tier,
        tierIndex,
        copy,
        descriptor,
        machine: descriptor.machine,
        input: descriptor.input(tier.params, { copy, instances: topology.instances, requests: bounds.requests }),
      });
  });
  // The health checker enters its tier directly: `health.2` -> `nginx.2`.
  const health = healthTierOf(topology);
  const entryIndex = health ? topology.tiers.findIndex((t) => t.name === topology.healthCheck!.entersAt) : -1;
  if (health) {
    const copies = health.perInstance ? topology.instances : 1;
    const descriptor = descriptorOf(health.kind);
    for (let k = 1; k <= copies; k++)
      instances.push({
        id: instanceId(health, health.perInstance ? k : 0),
        tier: health,
        // It stands just before the tier it enters, so that tier is its next hop.
        tierIndex: entryIndex - 1,
        copy: health.perInstance ? k : 0,
        descriptor,
        machine: descriptor.machine,
        // Its checks are its own bound, not the clients'; copy k checks target k.
        input: descriptor.input({ ...health.params, target: health.perInstance ? k - 1 : 0 }, { copy: k, instances: topology.instances, requests: health.params.requests }),
      });
  }
  const byId = new Map(instances.map((i) => [i.id, i]));
  const nextHop = (from: string, target?: number): string | null => {
    const spec = byId.get(from);
    const next = spec && topology.tiers[spec.tierIndex + 1];
    if (!spec || !next) return null;
    if (!next.perInstance) return instanceId(next, 0);
    if (spec.descriptor.role === 'passThrough') return instanceId(next, (target ?? 0) + 1);
    return instanceId(next, spec.copy);
  };
  return { topology, clients: bounds.clients, requests: bounds.requests, instances, byId, nextHop };
}
