import { boundaryOfConnection, copyOf, instanceId, tierOf } from '../../models/ids.js';
import { countFrom } from '../../models/machines/descriptor.js';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import type { SystemModel } from '../../models/system.js';
import { boundariesOf } from '../../models/topologies/structure.js';
import type { SimStore } from './simStore.js';

/**
 * The metrics of a run, per simulated minute, named as operators know them:
 * CloudWatch's for the edge, the load balancer and the database (named by
 * the topology's participants: `CloudFront.Requests`,
 * `NLB.ActiveFlowCount`, `RDS.DatabaseConnections`), the connection queue's
 * active and parked connections per instance, connections open at every
 * boundary, outcomes by status, latency, retries. Gauges are sampled every
 * simulated second and reported as the minute's average and maximum (as
 * CloudWatch's Average and Maximum statistics of a 1-minute period).
 *
 * What a tier holds (the load balancer's flows, a queue's parked
 * connections) is read through its descriptor's `describeConnections`, never
 * from its context; what it did (flows opened, retries, health changes)
 * from the effects it emits.
 */

export type Row = Record<string, number>;

/** Outcome classes, as columns. 0 is the client's "connection closed or reset under the request". */
const STATUS_COLUMNS: [string, (s: number) => boolean][] = [
  ['responses.2xx', (s) => s >= 200 && s < 300],
  ['responses.429', (s) => s === 429],
  ['responses.502', (s) => s === 502],
  ['responses.503', (s) => s === 503],
  ['responses.504', (s) => s === 504],
  ['responses.lost', (s) => s === 0],
];

class Gauge {
  sum = 0;
  n = 0;
  max = 0;
  add(v: number) {
    this.sum += v;
    this.n++;
    if (v > this.max) this.max = v;
  }
  avg(): number {
    return this.n === 0 ? 0 : this.sum / this.n;
  }
  reset() {
    this.sum = 0;
    this.n = 0;
    this.max = 0;
  }
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Nearest-rank percentile of the first `n` values of `xs` (sorted in place). */
function percentile(xs: Float64Array, n: number, p: number): number {
  if (n === 0) return 0;
  const view = xs.subarray(0, n).sort();
  return view[Math.max(0, Math.ceil(p * n) - 1)]!;
}

export class Metrics {
  readonly columns: string[];
  private readonly edgeRequests: string;
  private readonly clientTier: string;
  private readonly flowTiers: { instance: string; participant: string; unhealthy: Set<number> }[];
  private readonly dbBoundary: string | null;
  private readonly dbParticipant: string;
  private readonly parking: { instance: string; label: string }[];
  private readonly boundaries: string[];
  private readonly healthTier: string | null;
  private readonly instances: number;

  // per minute
  private counts = new Map<string, number>();
  private latencies = new Float64Array(1 << 16);
  private nLatencies = 0;
  private readonly gauges = new Map<string, Gauge>();
  /** Totals over the run, for the summary and the conservation check. */
  readonly totals = new Map<string, number>();

  constructor(
    readonly model: SystemModel,
    private readonly store: SimStore,
  ) {
    const topology = model.topology;
    const tiers = topology.tiers;
    this.clientTier = tiers[0]!.name;
    this.edgeRequests = `${tiers[1]!.participant}.Requests`;
    this.flowTiers = model.instances
      .filter((i) => i.descriptor.role === 'passThrough' && i.descriptor.describeConnections)
      .map((i) => ({ instance: i.id, participant: i.tier.participant, unhealthy: new Set<number>() }));
    const last = tiers[tiers.length - 1]!;
    this.dbBoundary = tiers.length >= 2 && model.instances.some((i) => i.tier === last && i.descriptor.role === 'server') ? `${tiers[tiers.length - 2]!.name}>${last.name}` : null;
    this.dbParticipant = last.participant;
    this.parking = model.instances.filter((i) => i.descriptor.parks && i.descriptor.describeConnections).map((i) => ({ instance: i.id, label: `${i.tier.participant}.${i.copy}` }));
    this.healthTier = topology.healthCheck?.name ?? null;
    this.instances = topology.instances;
    this.boundaries = [...boundariesOf(topology), ...(topology.healthCheck ? [`${topology.healthCheck.name}>${topology.healthCheck.entersAt}`] : [])];

    const gauge = (name: string) => {
      this.gauges.set(name, new Gauge());
      return [name, `${name}.max`];
    };
    this.columns = [
      'minute',
      'arrivals',
      'retries',
      'retries.proxies',
      this.edgeRequests,
      ...STATUS_COLUMNS.map(([c]) => c),
      'responses.other',
      'rejected.client',
      'latency.p50',
      'latency.p99',
      ...gauge('clients.waiting'),
      ...this.flowTiers.flatMap((f) => [
        ...gauge(`${f.participant}.ActiveFlowCount`),
        ...gauge(`${f.participant}.flows.closed`),
        `${f.participant}.NewFlowCount`,
        ...gauge(`${f.participant}.UnHealthyHostCount`),
      ]),
      ...(this.dbBoundary ? gauge(`${this.dbParticipant}.DatabaseConnections`) : []),
      ...this.parking.flatMap((p) => [...gauge(`${p.label}.active`), ...gauge(`${p.label}.parked`)]),
      ...this.boundaries.flatMap((b) => [...gauge(`open.${b}`), `opened.${b}`, `closed.${b}`]),
      ...(this.healthTier ? Array.from({ length: this.instances }, (_, k) => [`health.${k + 1}.ok`, `health.${k + 1}.failed`]).flat() : []),
      'events',
    ];
  }

  count(name: string, by = 1) {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
    this.totals.set(name, (this.totals.get(name) ?? 0) + by);
  }

  /** A customer request finished: its status (0: connection lost) and latency from its arrival. */
  outcome(status: number, latency: number) {
    const col = STATUS_COLUMNS.find(([, is]) => is(status))?.[0] ?? 'responses.other';
    this.count(col);
    if (this.nLatencies === this.latencies.length) {
      const bigger = new Float64Array(this.latencies.length * 2);
      bigger.set(this.latencies);
      this.latencies = bigger;
    }
    this.latencies[this.nLatencies++] = latency;
  }

  health(instance: string, ok: boolean) {
    const copy = copyOf(instance) || 1;
    this.count(`health.${copy}.${ok ? 'ok' : 'failed'}`);
  }

  /** Effects tell the metrics about requests sent, retries, flows opened, connections opened and targets' health. */
  effect(at: string, e: Effect) {
    switch (e.type) {
      case 'open': {
        const b = boundaryOfConnection(e.conn);
        if (b) this.count(`opened.${b}`);
        return;
      }
      case 'send':
        // A customer's request (first sent or sent again) reaches the edge.
        if (e.msg.kind === 'request' && tierOf(at) === this.clientTier) this.count(this.edgeRequests);
        return;
      case 'passThrough':
        for (const f of this.flowTiers) if (f.instance === at) this.count(`${f.participant}.NewFlowCount`);
        return;
      case 'notify':
        this.targetHealth(instanceId(e.to, 0), e.target, e.healthy);
        return;
      case 'log':
        if (e.what === 'retry') this.count(tierOf(at) === this.clientTier ? 'retries' : 'retries.proxies');
        return;
      default:
        return;
    }
  }

  /** A control-plane event the scenario sent (a target marked unhealthy). */
  control(to: string, e: Extract<TierEvent, { type: 'NOTIFY' | 'THROTTLE' }>) {
    if (e.type === 'NOTIFY') this.targetHealth(to, e.target, e.healthy);
  }

  private targetHealth(lb: string, target: number, healthy: boolean) {
    for (const f of this.flowTiers)
      if (f.instance === lb) {
        if (healthy) f.unhealthy.delete(target);
        else f.unhealthy.add(target);
      }
  }

  /** A connection is gone for good (every end done, nothing on the wire). */
  connectionGone(conn: string) {
    const b = boundaryOfConnection(conn);
    if (b) this.count(`closed.${b}`);
  }

  /** An instance's connections counted by side and status, through its descriptor. */
  private connectionCounts(instance: string) {
    const d = this.model.byId.get(instance)!.descriptor;
    const context = this.store.instance(instance).context;
    return d.countConnections ? d.countConnections(context) : countFrom(d.describeConnections!(context, { details: false }));
  }

  /** Samples the gauges (every simulated second). */
  sample(waiting: number) {
    this.gauges.get('clients.waiting')!.add(waiting);
    for (const f of this.flowTiers) {
      // Every flow in the load balancer's table; `idle` ones passed a FIN and are kept until they idle out.
      const n = this.connectionCounts(f.instance);
      const closed = n['through.idle'] ?? 0;
      const flows = closed + (n['through.open'] ?? 0) + (n['through.active'] ?? 0) + (n['through.parked'] ?? 0);
      this.gauges.get(`${f.participant}.ActiveFlowCount`)!.add(flows);
      this.gauges.get(`${f.participant}.flows.closed`)!.add(closed);
      this.gauges.get(`${f.participant}.UnHealthyHostCount`)!.add(f.unhealthy.size);
    }
    if (this.dbBoundary) this.gauges.get(`${this.dbParticipant}.DatabaseConnections`)!.add(this.store.open.get(this.dbBoundary) ?? 0);
    for (const p of this.parking) {
      // Client-side connections: those holding a slot, and those parked (accepted, never read).
      const n = this.connectionCounts(p.instance);
      const parked = (n['down.parked'] ?? 0) + (n['up.parked'] ?? 0) + (n['through.parked'] ?? 0);
      const active = (n['down.active'] ?? 0) + (n['down.idle'] ?? 0) + (n['down.open'] ?? 0);
      this.gauges.get(`${p.label}.parked`)!.add(parked);
      this.gauges.get(`${p.label}.active`)!.add(active);
    }
    for (const b of this.boundaries) this.gauges.get(`open.${b}`)!.add(this.store.open.get(b) ?? 0);
  }

  /** The minute's row, in column order; the counters and gauges start afresh. */
  row(minute: number, events: number): Row {
    const row: Row = {};
    for (const c of this.columns) row[c] = this.counts.get(c) ?? 0;
    row.minute = minute;
    row.events = events;
    row['latency.p50'] = percentile(this.latencies, this.nLatencies, 0.5);
    row['latency.p99'] = percentile(this.latencies, this.nLatencies, 0.99);
    for (const [name, g] of this.gauges) {
      row[name] = round(g.avg());
      row[`${name}.max`] = g.max;
      g.reset();
    }
    this.counts = new Map();
    this.nLatencies = 0;
    return row;
  }

  /** Values that are not per-minute: open connections and flows now (for the conservation check). */
  openNow(): { boundaries: Record<string, number>; flows: Record<string, number> } {
    return {
      boundaries: Object.fromEntries(this.boundaries.map((b) => [b, this.store.open.get(b) ?? 0])),
      flows: Object.fromEntries(
        this.flowTiers.map((f) => {
          const n = this.connectionCounts(f.instance);
          return [f.participant, (n['through.open'] ?? 0) + (n['through.idle'] ?? 0) + (n['through.active'] ?? 0) + (n['through.parked'] ?? 0)];
        }),
      ),
    };
  }
}
