/**
 * Directed schedules for close races: a client that sends its next request
 * just as some tier's idle timeout fires. Random schedules rarely produce one,
 * because the client must stay silent through every earlier deadline (pool
 * timeouts, health checks) and then act within a few milliseconds of the one
 * that matters, and a fleet must pick the worker that holds the idle
 * connection. These schedules do exactly that, for every idle timer pending
 * after a first exchange, and hand the result to the checker as ordinary
 * scenarios (fast-check examples): the kernel runs them, the property judges.
 */
import { instanceId } from '../../models/ids.js';
import { composeSystem, type SystemModel } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { TraceEvent } from '../kernel/events.js';
import { enabledOccurrences, type Occurrence } from '../kernel/occurrences.js';
import { initialState, type SystemState } from '../kernel/state.js';
import { step, withoutDefaultTail, type Choice } from '../kernel/step.js';
import type { Scenario } from './scenarios.js';

/** How long before the deadline the client sends (ms): at it, and just before it. */
const GAPS = [0, 3, 8];
const MAX_STEPS = 400;

const CLIENT = (topology: Topology) => instanceId(topology.tiers[0]!.name, 1);

/** What a client has done, read from its trace events: requests sent, and whether it waits for an answer. */
class ClientWatch {
  sent = 0;
  idle = true;
  constructor(private readonly client: string) {}
  see(events: readonly TraceEvent[]): this {
    for (const e of events) {
      if (e.at !== this.client) continue;
      if (e.type === 'send' && e.msg === 'request') {
        this.sent += 1;
        this.idle = false;
      } else if (e.type === 'outcome' || e.type === 'timeout') this.idle = true;
    }
    return this;
  }
}

/** The pending timers that close or drop an idle connection (keep-alive, pool idle, flow idle), as their machines declare. */
function idleTimers(model: SystemModel, state: SystemState): { at: string; key: string }[] {
  return state.timers.filter((t) => model.byId.get(t.instance)!.descriptor.closesIdle?.(t.key) === true).map((t) => ({ at: t.instance, key: t.key }));
}

/** A branch of a request delivery that reuses a pooled connection rather than opening one, if any. */
function reusingPick(model: SystemModel, state: SystemState, occs: Occurrence[], i: number): number {
  const o = occs[i]!;
  for (let pick = 0; pick < o.branches; pick++) {
    const r = step(model, state, { next: i, delay: 0, pick }, occs)!;
    if (!r.events.some((e) => e.type === 'connect' && e.at === o.at)) return pick;
  }
  return 0;
}

/**
 * The earliest occurrence, except that closes and resets travel as slowly as
 * the network allows (`slowTeardown`: they are taken only when nothing else
 * may go first), and a fleet's worker is chosen so that it reuses an idle
 * connection.
 */
function reuseChoice(model: SystemModel, state: SystemState, occs: Occurrence[], slowTeardown = false): Choice {
  const teardown = (o: Occurrence) => o.kind === 'deliver' && (o.msg.wire.kind === 'fin' || o.msg.wire.kind === 'rst');
  const i = slowTeardown ? Math.max(0, occs.findIndex((o) => !teardown(o))) : 0;
  const o = occs[i]!;
  const pick = o.kind === 'deliver' && o.branches > 1 && o.msg.wire.kind === 'request' ? reusingPick(model, state, occs, i) : 0;
  return { next: i, delay: 0, pick };
}

/**
 * One race: after the client's first request is answered, let everything
 * else happen (earliest deadline first) until the timer `target` is the next
 * deadline, then have the client send its second request `gap` ms before it;
 * from then on, with `slowTeardown`, closes and resets travel as slowly as
 * the network allows (the request overtakes the close). Null when the timer
 * is cancelled or fires first.
 */
function raceFor(
  topology: Topology,
  model: SystemModel,
  target: { at: string; key: string },
  gap: number,
  slowTeardown: boolean,
): Scenario | null {
  const client = CLIENT(topology);
  const c = new ClientWatch(client);
  let state = initialState(model);
  const schedule: Choice[] = [];
  let sentSecond = false;
  for (let i = 0; i < MAX_STEPS; i++) {
    const occs = enabledOccurrences(model, state);
    if (occs.length === 0) break;
    const act = occs.findIndex((o) => o.kind === 'act' && o.at === client);
    let choice: Choice = reuseChoice(model, state, occs, sentSecond && slowTeardown);
    if (!sentSecond && c.sent === 1 && c.idle && act >= 0) {
      const timer = state.timers.find((t) => t.instance === target.at && t.key === target.key);
      if (!timer) return null;
      const others = occs.map((o, k) => [o, k] as const).filter(([o]) => !(o.kind === 'act'));
      // The client may act `gap` ms before the deadline once nothing else must happen before then.
      const nextDeadline = Math.min(...others.map(([o]) => o.latest));
      if (nextDeadline >= timer.at - gap) {
        choice = { next: act, delay: Math.max(0, timer.at - state.clock - gap), pick: 0 };
        sentSecond = true;
      } else if (others.length > 0) {
        // Let the earliest other thing happen: the client stays silent through it.
        const [, k] = others.reduce((a, b) => (b[0].latest < a[0].latest ? b : a));
        choice = { next: k, delay: 0, pick: 0 };
      }
    }
    schedule.push(choice);
    const r = step(model, state, choice, occs)!;
    state = r.state;
    if (c.see(r.events).idle && sentSecond) break;
  }
  if (!sentSecond) return null;
  return { clients: 1, requests: 2, schedule: withoutDefaultTail(schedule) };
}

/** The idle timers pending once the first request of one client has been answered. */
function idleTimersAfterFirstExchange(topology: Topology, model: SystemModel): { at: string; key: string }[] {
  const c = new ClientWatch(CLIENT(topology));
  let state = initialState(model);
  for (let i = 0; i < MAX_STEPS; i++) {
    const occs = enabledOccurrences(model, state);
    if (occs.length === 0) break;
    if (c.sent === 1 && c.idle && !occs.some((o) => o.kind === 'deliver')) break;
    const r = step(model, state, reuseChoice(model, state, occs), occs)!;
    state = r.state;
    c.see(r.events);
  }
  return idleTimers(model, state);
}

const cache = new WeakMap<Topology, Scenario[]>();

/** Directed race schedules, one per idle timer, gap and teardown speed (1 client connection, 2 requests). */
export function raceScenarios(topology: Topology): Scenario[] {
  const hit = cache.get(topology);
  if (hit) return hit;
  const model = composeSystem(topology, { clients: 1, requests: 2 });
  const out: Scenario[] = [];
  const seen = new Set<string>();
  for (const target of idleTimersAfterFirstExchange(topology, model))
    for (const gap of GAPS)
      for (const slow of [false, true]) {
        const sc = raceFor(topology, model, target, gap, slow);
        const key = sc && JSON.stringify(sc);
        if (sc && !seen.has(key!)) {
          seen.add(key!);
          out.push(sc);
        }
      }
  cache.set(topology, out);
  return out;
}
