import { instanceId } from '../../models/ids.js';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import type { SimulationScenario } from '../../models/scenarios/scenario.js';
import type { SystemModel } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import { accepts } from '../kernel/machineStep.js';
import { branchesFor, EVENT_OF_WIRE } from '../kernel/occurrences.js';
import { act, applyEffect, control, deliver, fire } from '../kernel/semantics.js';
import { initialState, type InstanceState, type Pending } from '../kernel/state.js';
import { connEvent, nextConnFor } from '../kernel/wire.js';
import { ClientPool } from './clientPool.js';
import { happenings, outsideTheKernel } from './happenings.js';
import { ActItem, ArrivalItem, EventItem, Kind, TickItem, type Arrival, type Channel, type Item, type MessageItem, type TimerItem } from './items.js';
import { ArrivalProcess } from './load.js';
import { Metrics, type Row } from './metrics.js';
import { Rng, sampler } from './random.js';
import { checkWindowFits, runModel } from './runTopology.js';
import { SimStore } from './simStore.js';
import { TimeWheel } from './timeWheel.js';
import { checkWindow, WindowRecorder, type TraceWindow } from './window.js';

type ControlEvent = Extract<TierEvent, { type: 'NOTIFY' | 'THROTTLE' }>;
type ControlBody = ControlEvent extends infer C ? (C extends ControlEvent ? Omit<C, 'pick' | 'nextConn'> : never) : never;

const SECOND = 1000;
const MINUTE = 60_000;
type Sampler = ReturnType<typeof sampler>;

export interface SimulationOptions {
  topology: Topology;
  scenario: SimulationScenario;
  /** Simulated time to run (ms). */
  duration: number;
  seed: number;
  /** Cut [from, to] (ms) out as a trace that `replay` re-executes exactly. */
  window?: { from: number; to: number } | null;
  /** Each simulated minute's metrics, as soon as the minute ends (and a last partial one). */
  onMinute?: (row: Row, partial: boolean) => void;
  /** About every 0.2 s of wall time. */
  onProgress?: (p: Progress) => void;
  /** Asked every slice; true stops the run cleanly (Ctrl-C). */
  shouldStop?: () => boolean;
}

export interface Progress {
  simulated: number;
  duration: number;
  events: number;
  wallMs: number;
}

export interface SimulationResult {
  /** Kernel occurrences taken (deliveries, timers, client actions). */
  events: number;
  simulated: number;
  wallMs: number;
  interrupted: boolean;
  totals: Record<string, number>;
  /** At the end: connections open per boundary and flows per load balancer (for the conservation check). */
  openAtEnd: ReturnType<Metrics['openNow']>;
  /** Requests in flight or waiting at their client at the end. */
  unfinished: { inFlight: number; waiting: number };
  window: TraceWindow | null;
  model: SystemModel;
}

/**
 * A discrete-event simulation of a topology under a scenario: the same tier
 * machines, stepped by the same kernel semantics as `check`
 * (src/kernel/semantics.ts), with the schedule's choices made
 * stochastically. Where `check` chooses which enabled occurrence comes next,
 * when inside its window and which branch, a run draws: every message's
 * delivery time inside its window (from the scenario's delay
 * distributions), every branch (which gateway worker, which load-balancer
 * target: uniformly; the load balancer itself keeps new flows off targets it
 * holds unhealthy), when requests arrive and on which client connection;
 * timers fire at their deadlines. Occurrences are taken in time order from
 * an event queue. See docs/simulation.md.
 */
export class Simulation {
  readonly model: SystemModel;
  private readonly wheel = new TimeWheel<Item>();
  private readonly rng: Rng;
  private readonly store: SimStore;
  readonly metrics: Metrics;
  private readonly pool: ClientPool;
  private readonly arrivals: ArrivalProcess;
  private readonly customerIndex = new Map<string, number>();
  private readonly clientIds: string[];
  /** The shared pass-through tier a scenario's "target unhealthy" is told to (its control plane), if any. */
  private readonly loadBalancer: string | null;
  /** Health checkers: requesters beside the pipeline, whose outcomes are health checks. */
  private readonly probes: Set<string>;
  /** Per receiver: channels whose head it does not read now, by connection, in the order they parked. */
  private readonly parkedAt = new Map<string, Map<string, Channel>>();
  private parkedSeq = 0;
  private readonly samplers = new Map<string, { network: Sampler; own: Sampler }>();
  private slowdown: Sampler | null = null;
  private readonly serverIds: Set<string>;
  private minuteEvents = 0;
  private window: WindowRecorder | null = null;
  private readonly initial;

  constructor(private readonly o: SimulationOptions) {
    const sc = o.scenario;
    this.model = runModel(o.topology, sc, o.duration);
    this.rng = new Rng(o.seed);
    this.initial = initialState(this.model);
    this.store = new SimStore(this.model, this.wheel, (p, own) => this.deliveryTime(p, own), this.initial);
    this.metrics = new Metrics(this.model, this.store);
    this.pool = new ClientPool(sc.clients.count, sc.clients.connections, sc.clients.queue);
    this.arrivals = new ArrivalProcess(sc.arrivals, this.rng);
    const clientTier = this.model.topology.tiers[0]!;
    this.clientIds = this.model.instances.filter((i) => i.tier === clientTier).map((i) => i.id);
    this.clientIds.forEach((id, k) => this.customerIndex.set(id, k));
    this.serverIds = new Set(this.model.instances.filter((i) => i.descriptor.role === 'server').map((i) => i.id));
    this.probes = new Set(this.model.instances.filter((i) => i.descriptor.role === 'probe').map((i) => i.id));
    this.loadBalancer = this.model.instances.find((i) => i.descriptor.role === 'passThrough' && !i.tier.perInstance)?.id ?? null;
    const network = sampler(sc.delays.network);
    for (const spec of this.model.instances) {
      const own = sc.delays.tiers[spec.tier.name];
      this.samplers.set(spec.id, { network: own && spec.descriptor.role !== 'server' ? sampler(own) : network, own: own ? sampler(own) : sampler({ kind: 'uniform' }) });
    }
    this.store.onEffect = (at, cause, e) => this.effect(at, cause, e);
    this.store.onReaction = (instance, before, after) => this.reacted(instance, before, after);
    this.store.onConnGone = (c) => this.metrics.connectionGone(c.id);
    if (o.window) {
      checkWindowFits(o.topology, o.duration);
      checkWindow(o.window.from, o.window.to, outsideTheKernel(sc, o.duration));
      this.window = new WindowRecorder(this.model, this.store, o.window.from, o.window.to, o.seed);
    }
    for (let i = 0; i < this.clientIds.length; i++) this.pool.markIdle(i);
    this.schedule();
  }

  private schedule() {
    const { duration, scenario } = this.o;
    const first = this.arrivals.next();
    if (first <= duration) this.wheel.push(new ArrivalItem(first));
    for (let t = SECOND; t <= duration; t += SECOND) this.wheel.push(new TickItem(t, t % MINUTE === 0 ? Kind.Minute : Kind.Sample));
    for (const h of happenings(scenario, duration)) this.wheel.push(new EventItem(h.t, h.what));
    // Health checkers (probes) start at a random moment of their first interval: checks of different targets are not in step.
    const interval = this.model.topology.healthCheck?.interval ?? 0;
    for (const spec of this.model.instances) if (spec.descriptor.role === 'probe') this.wheel.push(new ActItem(this.rng.int(Math.max(1, interval)), spec.id, null));
  }

  /** The delivery time of a message put on the wire now: a draw inside its window. */
  private deliveryTime(p: Pending, own: boolean): number {
    const now = this.store.clock;
    const s = this.samplers.get(p.from)!;
    const draw = own ? (this.slowdown && this.serverIds.has(p.from) ? this.slowdown : s.own) : s.network;
    return now + draw(this.rng, p.earliest - now, p.latest - now);
  }

  /** Runs to the end (or until stopped), yielding to the event loop every slice so that Ctrl-C is heard. */
  async run(): Promise<SimulationResult> {
    const started = performance.now();
    let lastReport = started;
    let events = 0;
    let interrupted = false;
    const duration = this.o.duration;
    for (;;) {
      const sliceEnd = performance.now() + 100;
      let done = false;
      for (let n = 0; ; n++) {
        const item = this.wheel.pop(duration);
        if (!item) {
          done = true;
          break;
        }
        if (this.window) this.window.before(item.t);
        this.store.clock = item.t;
        if (this.dispatch(item)) events++;
        if ((n & 255) === 255 && performance.now() > sliceEnd) break;
      }
      const now = performance.now();
      if (now - lastReport >= 200 || done) {
        lastReport = now;
        this.o.onProgress?.({ simulated: this.store.clock, duration, events, wallMs: now - started });
      }
      if (done) break;
      if (this.o.shouldStop?.()) {
        interrupted = true;
        break;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // The last, partial minute (an interrupted run, or a duration that is not whole minutes).
    if (this.store.clock % MINUTE !== 0 || interrupted) this.o.onMinute?.(this.metrics.row(Math.ceil(this.store.clock / MINUTE), this.minuteEvents), true);
    return {
      events,
      simulated: this.store.clock,
      wallMs: performance.now() - started,
      interrupted,
      totals: Object.fromEntries(this.metrics.totals),
      openAtEnd: this.metrics.openNow(),
      unfinished: { inFlight: this.pool.inFlight(), waiting: this.pool.waitingCount },
      window: this.window?.finish() ?? null,
      model: this.model,
    };
  }

  /** Takes one queued item; true when it was a kernel occurrence. */
  private dispatch(item: Item): boolean {
    switch (item.k) {
      case Kind.Deliver:
        return this.deliverMessage(item);
      case Kind.Timer:
        return this.fireTimer(item);
      case Kind.Act:
        return this.act(item);
      case Kind.Arrival: {
        this.metrics.count('arrivals');
        this.submit({ born: item.t, client: this.rng.int(this.pool.customers) });
        const next = this.arrivals.next();
        if (next <= this.o.duration) this.wheel.push(new ArrivalItem(next));
        return false;
      }
      case Kind.Sample:
      case Kind.Minute:
        this.metrics.sample(this.pool.waitingCount);
        if (item.k === Kind.Minute) {
          this.o.onMinute?.(this.metrics.row(item.t / MINUTE, this.minuteEvents), false);
          this.minuteEvents = 0;
        }
        return false;
      case Kind.Event:
        this.scenarioEvent(item);
        return false;
    }
  }

  private occurrence() {
    this.store.steps++;
    this.minuteEvents++;
  }

  private deliverMessage(m: MessageItem): boolean {
    const ch = m.ch;
    if (ch.msgs[ch.head] !== m) {
      m.due = true; // behind a parked message: it goes when that one has
      return false;
    }
    const p = m.p;
    if (!this.deliverable(p, ch)) {
      ch.parked = true;
      ch.parkedSeq = this.parkedSeq++;
      let parked = this.parkedAt.get(p.to);
      if (!parked) this.parkedAt.set(p.to, (parked = new Map()));
      parked.set(ch.conn, ch);
      return false;
    }
    const branches = branchesFor(this.store.instance(p.to), EVENT_OF_WIRE[p.wire.kind]);
    // Uniformly among the branches: a machine whose choices depend on its state (a load balancer's healthy targets) maps them itself.
    const pick = branches > 1 ? this.rng.int(branches) : 0;
    this.occurrence();
    this.window?.deliver(p, pick);
    deliver(this.store, p, pick);
    this.window?.after();
    return true;
  }

  /** Whether the receiver reads `p` now; an end that has closed always does (the kernel answers it). */
  private deliverable(p: Pending, ch?: Channel): boolean {
    const c = this.store.conn(p.conn);
    if (!c || c.done.includes(p.to)) return true;
    // A parked head is asked again after every change of its receiver: keep the event it would be, while it stays the same.
    let event: TierEvent;
    if (ch) {
      const nextConn = nextConnFor(this.model, this.store, p.to);
      if (!ch.probe || ch.probe.p !== p || ch.probe.event.nextConn !== nextConn) ch.probe = { p, event: connEvent(this.model, this.store, p, 0) };
      event = ch.probe.event;
    } else event = connEvent(this.model, this.store, p, 0);
    return accepts(this.model.byId.get(p.to)!.machine, this.store.instance(p.to), event);
  }

  private fireTimer(t: TimerItem): boolean {
    if (!t.live) return false;
    this.occurrence();
    this.window?.timer(t.instance, t.key);
    fire(this.store, t.instance, t.key);
    this.window?.after();
    return true;
  }

  private act(a: ActItem): boolean {
    const spec = this.model.byId.get(a.instance)!;
    const event: TierEvent = { type: 'ACT', pick: 0, nextConn: nextConnFor(this.model, this.store, a.instance) };
    if (!accepts(spec.machine, this.store.instance(a.instance), event)) throw new Error(`simulation: ${a.instance} was chosen to send a request but cannot`);
    this.occurrence();
    this.window?.act(a.instance);
    act(this.store, a.instance, 0);
    this.window?.after();
    return true;
  }

  /** A request reaches its client: queued there, sent when a connection is idle. */
  private submit(a: Arrival) {
    if (!this.pool.enqueue(a)) {
      this.metrics.count('rejected.client');
      return;
    }
    this.pump(a.client);
  }

  /** Sends the client's waiting requests on its idle connections. */
  private pump(customer: number) {
    while (this.pool.canTake(customer)) {
      const next = this.pool.take(customer)!;
      this.wheel.push(new ActItem(this.store.clock, this.clientIds[next.connection]!, next.arrival));
    }
  }

  private effect(at: string, _cause: TierEvent, e: Effect) {
    this.metrics.effect(at, e);
    const k = this.customerIndex.get(at);
    if (k !== undefined) {
      // A customer's request finished (its client machine logs one outcome per request, after its own retries).
      if (e.type === 'log' && (e.what === 'outcome' || e.what === 'timeout')) {
        const a = this.pool.finish(k);
        if (a) this.metrics.outcome(e.status ?? 0, this.store.clock - a.born);
        else this.metrics.count('outcomes.unmatched'); // an outcome with no request: never expected (the conservation test checks)
      }
    } else if (e.type === 'log' && (e.what === 'outcome' || e.what === 'timeout') && this.probes.has(at)) {
      // A check passes on a 2xx or 3xx answer (the health checker's own rule).
      this.metrics.health(at, e.what === 'outcome' && e.status !== undefined && e.status >= 200 && e.status < 400);
    }
  }

  private reacted(instance: string, before: InstanceState, after: InstanceState) {
    if (before === after) return;
    const k = this.customerIndex.get(instance);
    if (k !== undefined) {
      const spec = this.model.byId.get(instance)!;
      if (accepts(spec.machine, after, { type: 'ACT', pick: 0, nextConn: nextConnFor(this.model, this.store, instance) })) {
        this.pool.markIdle(k);
        this.pump(this.pool.customerOf(k));
      }
    }
    this.recheckParked(instance, before, after);
  }

  /**
   * The receiver's state changed: the messages it did not read may be readable
   * now. Its descriptor may say on which connections (a limiter: those whose
   * slot changed), else every parked channel is asked; either way in the
   * order they parked.
   */
  private recheckParked(instance: string, before: InstanceState, after: InstanceState, every = false) {
    const parked = this.parkedAt.get(instance);
    if (!parked || parked.size === 0) return;
    const unparks = every ? undefined : this.model.byId.get(instance)!.descriptor.unparks;
    let channels: Iterable<Channel> = parked.values();
    if (unparks) {
      const some: Channel[] = [];
      for (const conn of unparks(before.context, after.context)) {
        const ch = parked.get(conn);
        if (ch) some.push(ch);
      }
      channels = some.sort((a, b) => a.parkedSeq! - b.parkedSeq!);
    }
    for (const ch of channels) {
      const head = ch.msgs[ch.head];
      if (!head) {
        parked.delete(ch.conn);
        ch.parked = false;
        continue;
      }
      if (this.deliverable(head.p, ch)) {
        parked.delete(ch.conn);
        ch.probe = undefined;
        ch.parked = false;
        head.t = this.store.clock;
        this.wheel.push(head);
      }
    }
  }

  private scenarioEvent(item: EventItem) {
    const h = item.what;
    if (h.kind === 'throttle') {
      // The control plane: the throttled tier's machine changes its own bucket.
      const tier = this.model.topology.tiers.find((t) => t.name === h.tier);
      if (tier) this.tell(instanceId(tier.name, 0), { type: 'THROTTLE', rate: h.rate, burst: h.burst, from: 'scenario' });
      return;
    }
    const e = h.event;
    const ending = h.kind === 'end';
    switch (e.kind) {
      case 'databaseSlowdown':
        this.slowdown = ending ? null : sampler(e.delay);
        return;
      case 'unhealthy':
        // The load balancer is told, as its health checks would tell it; what it does about it is its machine's.
        if (this.loadBalancer) this.tell(this.loadBalancer, { type: 'NOTIFY', what: 'targetHealth', target: e.instance - 1, healthy: ending, from: 'scenario' });
        return;
      case 'throttle':
        return; // expanded into throttle happenings (happenings.ts)
      case 'restart':
      case 'replace':
        for (const spec of this.model.instances)
          if (spec.tier.perInstance && spec.copy === e.instance && spec.descriptor.role !== 'probe') this.restart(spec.id, e.kind === 'replace');
        return;
      case 'reload': {
        const tier = this.model.topology.tiers.find((t) => t.name === e.tier)!;
        const id = instanceId(tier.name, tier.perInstance ? e.instance : 0);
        const closesIdle = this.model.byId.get(id)!.descriptor.closesIdle;
        for (const key of this.store.timerKeys(id))
          if (closesIdle?.(key)) {
            this.occurrence();
            fire(this.store, id, key);
          }
        return;
      }
    }
  }

  /** A control-plane event to a shared instance, delivered at once (a kernel reaction, outside `check`'s occurrences). */
  private tell(to: string, event: ControlBody) {
    const full = { ...event, pick: 0, nextConn: nextConnFor(this.model, this.store, to) } as ControlEvent;
    this.metrics.control(to, full);
    this.occurrence();
    control(this.store, to, full);
  }

  /**
   * An instance's process starts afresh: each connection it has an end of is
   * reset (restart: the OS sends RSTs) or silently forgotten (replace: the
   * host is gone; data that reaches it later is answered with an RST, the
   * kernel's rule for a closed end), and its machine returns to its initial
   * state. Its timers go with it.
   */
  private restart(id: string, silently: boolean) {
    const cause: TierEvent = { type: 'ACT', pick: 0, nextConn: '' };
    for (const c of [...this.store.conns.values()]) {
      const i = c.path.indexOf(id);
      if (i < 0 || c.done.includes(id)) continue;
      if (silently) {
        this.store.setConn({ ...c, done: [...c.done, id] });
        const now = this.store.conn(c.id)!;
        if (now.done.length >= now.path.length && !this.store.hasPending(c.id)) this.store.deleteConn(c.id);
      } else {
        applyEffect(this.store, id, cause, { type: 'reset', conn: c.id, to: i > 0 ? 'down' : 'up', detail: 'instance restarted' });
      }
    }
    for (const key of this.store.timerKeys(id)) this.store.cancelTimer(id, key);
    const before = this.store.instance(id);
    this.store.setInstance(id, this.initial.instances[id]!);
    this.reacted(id, before, this.store.instance(id));
    // Its ends are gone, parked ones too: the kernel answers what waits on them, whatever its machine's slots say.
    this.recheckParked(id, before, this.store.instance(id), true);
  }
}

/** Runs a simulation to the end. */
export function simulate(options: SimulationOptions): Promise<SimulationResult> {
  return new Simulation(options).run();
}
