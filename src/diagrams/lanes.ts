import { InputError } from '../../models/inputError.js';
import { copyOf, tierOf } from '../../models/ids.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { TraceEvent } from '../kernel/events.js';

/**
 * A lane is one lifeline of a sequence diagram: a running copy of a tier
 * (`client.1`, `gateway`, `connQueue.2`) or the entry point of an instance
 * (the seed's EC2). The EC2 lane is not a tier: NLB -> EC2 -> ConnCtrl is one
 * TCP connection, drawn in two arrows because that is how the seed drew it.
 */
export interface Lane {
  /** The instance id it draws (`connQueue.2`), or `@EC2.2` for an instance entry. */
  key: string;
  /** An identifier safe in PlantUML and Mermaid (`ConnCtrl_2`). */
  id: string;
  /** What the diagram shows (`ConnCtrl 2`, or `ConnCtrl` when only one copy appears). */
  label: string;
  /** The tier's participant name (`ConnCtrl`), or the topology's instance participant (`EC2`). */
  participant: string;
  /** The tier's name (`connQueue`), or null for an instance entry. */
  tier: string | null;
  /** The instance (load-balancer target, 1-based) it belongs to, or null for a shared tier or a client. */
  instance: number | null;
}

/** Lifelines named as the seed named them (`JMETER`, `APIGW`, `EC2`) or by tier (`client`, `gateway`, `instance`). */
export type LaneNames = 'seed' | 'tiers';

export interface LaneSet {
  /** Every lane in drawing order: clients, shared tiers, one block per instance, shared tiers after. */
  all: Lane[];
  /** The lanes drawn (the collapse option hides the others). */
  visible: Lane[];
  byKey: ReadonlyMap<string, Lane>;
  isVisible(key: string): boolean;
  /** The lanes a message sent by `from` to `to` crosses, entry lane included: [from, (EC2.n), to]. */
  path(from: string, to: string): string[];
}

const safeId = (label: string) => label.replace(/[^A-Za-z0-9]+/g, '_').replace(/^(\d)/, '_$1');

/** The key of instance `n`'s entry lane; `@` keeps it apart from instance ids. */
const entryKey = (topology: Topology, n: number) => `@${topology.instanceParticipant}.${n}`;

interface HealthChecker {
  name: string;
  participant: string;
  entersAt: string;
  perInstance: boolean;
}

/**
 * The topology's health checker, if it models one: a client that enters one
 * tier directly (the seed's alive-check on port 8080 into NGINX). Read
 * structurally, since only some topologies have one.
 */
function healthCheckerOf(topology: Topology): HealthChecker | null {
  const hc = (topology as { healthCheck?: { name: string; participant: string; entersAt: string } }).healthCheck;
  if (!hc) return null;
  const entry = topology.tiers.find((t) => t.name === hc.entersAt);
  return { name: hc.name, participant: hc.participant, entersAt: hc.entersAt, perInstance: entry?.perInstance ?? false };
}

/** The names `participants` may use: each tier's participant name, the instance participant and the health checker's. */
export function participantNames(topology: Topology): string[] {
  const hasInstances = topology.tiers.some((t) => t.perInstance);
  const hc = healthCheckerOf(topology);
  return [
    ...topology.tiers.map((t) => t.participant),
    ...(hasInstances ? [topology.instanceParticipant] : []),
    ...(hc ? [hc.participant] : []),
  ];
}

function selectVisible(topology: Topology, lanes: Lane[], wanted: readonly string[] | undefined): Set<string> {
  if (wanted === undefined) return new Set(lanes.map((l) => l.key));
  const allowed = participantNames(topology);
  const known = new Set([...allowed, ...topology.tiers.map((t) => t.name), healthCheckerOf(topology)?.name].map((n) => n?.toLowerCase()));
  const keep = new Set<string>();
  for (const raw of wanted) {
    const w = raw.toLowerCase();
    if (!known.has(w)) throw new InputError(`unknown participant '${raw}' for topology '${topology.name}'; allowed: ${allowed.join(', ')}`);
    // A known participant the trace never reaches (a health checker before its first check) draws nothing.
    for (const l of lanes) if (l.participant.toLowerCase() === w || l.tier?.toLowerCase() === w) keep.add(l.key);
  }
  if (keep.size < 2) throw new InputError(`a sequence diagram needs at least two participants, found ${[...wanted].join(', ') || 'none'}`);
  return keep;
}

/**
 * The lanes of a trace on a topology: every tier once, and as many copies of
 * clients and per-instance tiers as the trace uses (so a run that stays on one
 * instance draws one ConnCtrl, named as in the seed). `participants` keeps
 * only the named ones (participant or tier names, any case); `names` says
 * which of the two the lifelines show.
 */
export function lanesOf(
  topology: Topology,
  events: readonly TraceEvent[],
  participants?: readonly string[],
  names: LaneNames = 'seed',
): LaneSet {
  const used = new Map<string, Set<number>>();
  const instancesUsed = new Set<number>();
  const health = healthCheckerOf(topology);
  const scanned: { name: string; perInstance: boolean }[] = [...topology.tiers, ...(health ? [health] : [])];
  for (const e of events)
    for (const id of [e.at, e.peer]) {
      // A health checker that has only started (no check yet) draws nothing, and claims no instance.
      if (id === undefined || e.type === 'start') continue;
      const tier = scanned.find((t) => t.name === tierOf(id));
      if (!tier) continue;
      const copy = copyOf(id);
      if (!used.has(tier.name)) used.set(tier.name, new Set());
      used.get(tier.name)!.add(copy);
      if (tier.perInstance) instancesUsed.add(copy);
    }
  const instances = instancesUsed.size > 0 ? [...instancesUsed].sort((a, b) => a - b) : [1];
  const multiInstance = instances.length > 1;
  const lane = (key: string, participant: string, tier: string | null, instance: number | null, numbered: boolean): Lane => {
    const name = names === 'seed' ? participant : (tier ?? 'instance');
    const label = numbered ? `${name} ${copyOf(key)}` : name;
    return { key, id: safeId(label), label, participant, tier, instance };
  };
  const before: Lane[] = [];
  const after: Lane[] = [];
  const blocks = new Map<number, Lane[]>(instances.map((n) => [n, []]));
  const firstPerInstance = topology.tiers.findIndex((t) => t.perInstance);
  if (firstPerInstance >= 0) {
    const entry = topology.instanceParticipant;
    for (const n of instances) blocks.get(n)!.push(lane(entryKey(topology, n), entry, null, n, multiInstance));
  }
  topology.tiers.forEach((t, i) => {
    if (t.perInstance) {
      for (const n of instances) blocks.get(n)!.push(lane(`${t.name}.${n}`, t.participant, t.name, n, multiInstance));
    } else if (t.kind === 'client') {
      const copies = [...(used.get(t.name) ?? new Set([1]))].sort((a, b) => a - b);
      for (const c of copies) before.push(lane(`${t.name}.${c}`, t.participant, t.name, null, copies.length > 1));
    } else {
      (firstPerInstance < 0 || i < firstPerInstance ? before : after).push(lane(t.name, t.participant, t.name, null, false));
    }
  });
  // A health checker is drawn only when the trace has checks: it stands just outside what it checks,
  // before an instance's frame (its arrow then visibly skips the connection queue).
  const checkers = [...(health ? used.get(health.name) ?? [] : [])].sort((a, b) => a - b);
  const checker = (c: number) => lane(c === 0 ? health!.name : `${health!.name}.${c}`, health!.participant, health!.name, null, checkers.length > 1);
  if (health && !health.perInstance && checkers.length > 0)
    for (const list of [before, after]) {
      const at = list.findIndex((l) => l.tier === health.entersAt);
      if (at >= 0) list.splice(at, 0, checker(0));
    }
  const all = [
    ...before,
    ...instances.flatMap((n) => [...(health?.perInstance && checkers.includes(n) ? [checker(n)] : []), ...blocks.get(n)!]),
    ...after,
  ];
  // Two tiers may share a participant name; their ids must still differ.
  const ids = new Set<string>();
  for (const l of all) {
    if (ids.has(l.id)) l.id = safeId(`${l.label} ${l.tier ?? 'entry'}`);
    ids.add(l.id);
  }
  const byKey = new Map(all.map((l) => [l.key, l]));
  const keep = selectVisible(topology, all, participants);
  return {
    all,
    visible: all.filter((l) => keep.has(l.key)),
    byKey,
    isVisible: (key) => keep.has(key),
    path(from, to) {
      // A connection enters an instance where the load balancer meets the instance's first tier.
      const first = topology.tiers[firstPerInstance]?.name;
      const inside = [from, to].find((k) => byKey.get(k)?.tier === first);
      const outside = inside === from ? to : from;
      const outsideTier = topology.tiers.findIndex((t) => t.name === byKey.get(outside)?.tier);
      if (inside === undefined || outsideTier < 0 || outsideTier >= firstPerInstance) return [from, to];
      const entry = entryKey(topology, byKey.get(inside)!.instance!);
      return [from, entry, to];
    },
  };
}
