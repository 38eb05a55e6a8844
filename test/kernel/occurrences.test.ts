/**
 * src/kernel/occurrences.ts (with step.ts taking them): what may happen next
 * and when. FIFO per channel, the deadline rule, timers exactly on time, and
 * messages parked at a tier that does not read them.
 */
import { describe, expect, it } from 'vitest';
import { client, connQueue, database, nlb, withParams } from '../../models/tiers/index.js';
import { seed } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { runScenario } from '../../src/explore/run.js';
import { enabledOccurrences, horizonOf, type Occurrence } from '../../src/kernel/occurrences.js';
import { initialState, type Pending, type SystemState } from '../../src/kernel/state.js';
import { step } from '../../src/kernel/step.js';
import { direct, firstRequestAnswered, isAct, isDeliver, isTimer, model, prng, queued, randomChoice, Run } from './harness.js';

const channel = (p: Pending) => `${p.conn}|${p.from}|${p.to}`;

/** Random runs of the seed topology, calling `check` on every step before and after. */
function forRandomSteps(seedNo: number, steps: number, check: (before: SystemState, enabled: Occurrence[], taken: Occurrence, after: SystemState) => void) {
  const m = model(seed, 2, 3);
  const rand = prng(seedNo);
  let state = initialState(m);
  for (let i = 0; i < steps; i++) {
    const enabled = enabledOccurrences(m, state);
    if (enabled.length === 0) {
      state = initialState(m); // start another run
      continue;
    }
    const r = step(m, state, randomChoice(rand), enabled)!;
    check(state, enabled, r.occurrence, r.state);
    state = r.state;
  }
}

describe('occurrences: FIFO per channel', () => {
  it('offers only the oldest pending message of a connection direction (the request waits for its SYN)', () => {
    const m = model(seed, 1, 2);
    const r = new Run(m, initialState(m));
    r.take(isAct());
    expect(r.state.pending.map((p) => p.wire.kind)).toEqual(['syn', 'request']);
    const delivers = r.enabled().filter((o) => o.kind === 'deliver');
    expect(delivers.map((o) => (o.kind === 'deliver' ? o.msg.wire.kind : ''))).toEqual(['syn']);
  });

  it('gives a later message on a channel a window no earlier than the message before it', () => {
    forRandomSteps(3, 1500, (_b, _e, _t, after) => {
      const last = new Map<string, Pending>();
      for (const p of after.pending) {
        const prev = last.get(channel(p));
        if (prev) {
          expect(p.seq).toBeGreaterThan(prev.seq);
          expect(p.earliest).toBeGreaterThanOrEqual(prev.earliest);
          expect(p.latest).toBeGreaterThanOrEqual(prev.latest);
        }
        last.set(channel(p), p);
      }
    });
  });

  it('never delivers a message while an older one of the same connection and direction is pending', () => {
    let delivered = 0;
    forRandomSteps(17, 2000, (before, _e, taken) => {
      if (taken.kind !== 'deliver') return;
      delivered += 1;
      const older = before.pending.filter((p) => channel(p) === channel(taken.msg) && p.seq < taken.msg.seq);
      expect(older).toEqual([]);
    });
    expect(delivered).toBeGreaterThan(500);
  });

  it('delivers the messages of each channel in the order they were sent, in every random run', () => {
    for (let k = 0; k < 10; k++) {
      const rand = prng(100 + k);
      const schedule = Array.from({ length: 80 }, () => randomChoice(rand));
      const { events } = runScenario(seed, { clients: 2, requests: 3, schedule }, [], { maxSteps: 300, stopAtViolation: false });
      const sent = new Map<string, string[]>();
      const received = new Map<string, string[]>();
      for (const e of events) {
        if (e.type === 'send') sent.set(`${e.conn}|${e.at}|${e.peer}`, [...(sent.get(`${e.conn}|${e.at}|${e.peer}`) ?? []), `${e.msg}:${e.req}`]);
        if (e.type === 'recv') received.set(`${e.conn}|${e.peer}|${e.at}`, [...(received.get(`${e.conn}|${e.peer}|${e.at}`) ?? []), `${e.msg}:${e.req}`]);
      }
      for (const [ch, got] of received) expect(got, ch).toEqual(sent.get(ch)!.slice(0, got.length));
    }
  });
});

describe('occurrences: the deadline rule', () => {
  it('never takes an occurrence after the deadline of another enabled one', () => {
    forRandomSteps(23, 2000, (before, enabled, taken, after) => {
      expect(after.clock).toBeLessThanOrEqual(horizonOf(enabled));
      expect(after.clock).toBeGreaterThanOrEqual(Math.max(before.clock, taken.earliest));
    });
  });

  it('fires timers exactly at their deadline, whatever delay the schedule asks for', () => {
    let fired = 0;
    forRandomSteps(29, 3000, (before, _e, taken, after) => {
      if (taken.kind !== 'timer') return;
      fired += 1;
      const t = before.timers.find((x) => x.instance === taken.at && x.key === taken.key)!;
      expect(after.clock).toBe(t.at);
    });
    expect(fired).toBeGreaterThan(10);
  });

  it('never lets the clock pass a pending timer', () => {
    forRandomSteps(31, 2000, (_b, _e, _t, after) => {
      for (const t of after.timers) expect(t.at).toBeGreaterThanOrEqual(after.clock);
    });
  });

  it('offers only occurrences that can start before the earliest deadline', () => {
    forRandomSteps(37, 1000, (_b, enabled) => {
      const h = horizonOf(enabled);
      for (const o of enabled) expect(o.earliest).toBeLessThanOrEqual(h);
    });
  });

  it('clamps a client action asked to wait past a timer to that timer deadline', () => {
    const r = firstRequestAnswered(100);
    const deadline = r.state.timers[0]!.at;
    r.take(isAct(), 1_000_000);
    expect(r.state.clock).toBe(deadline);
    expect(r.enabled().some(isTimer('idle:client>database#1'))).toBe(true);
  });

  it('fires a timer at its deadline even when the schedule asks for a delay', () => {
    const m = model(direct({ idleTimeout: 100 }), 1, 1);
    const r = new Run(m, initialState(m));
    r.take(isAct());
    r.take(isDeliver('syn'));
    const deadline = r.state.timers[0]!.at;
    // deliver the request at once, so that the re-armed timer is the only deadline left after the response
    r.take(isDeliver('request', 'database'));
    r.take(isDeliver('response', 'client.1'));
    const rearmed = r.state.timers[0]!.at;
    expect(rearmed).toBeGreaterThanOrEqual(deadline);
    r.take(isTimer(), 5_000);
    expect(r.state.clock).toBe(rearmed);
  });

  it('keeps a message inside its latency window', () => {
    const m = model(direct({}, [5, 9]), 1, 1);
    const r = new Run(m, initialState(m));
    r.take(isAct());
    const sent = r.state.clock;
    r.take(isDeliver('syn'), 1_000_000);
    expect(r.state.clock).toBe(sent + 9);
    const m2 = model(direct({}, [5, 9]), 1, 1);
    const r2 = new Run(m2, initialState(m2));
    r2.take(isAct());
    const sent2 = r2.state.clock;
    r2.take(isDeliver('syn'), 0);
    expect(r2.state.clock).toBe(sent2 + 5);
  });
});

describe('occurrences: messages a tier does not read', () => {
  /** Two clients through a pinned gateway into a one-slot queue: the second connection is parked. */
  function parked() {
    const m = model(queued(1), 2, 1);
    const run = runScenario(queued(1), { clients: 2, requests: 1, schedule: [] }, [], { maxSteps: 500, stopAtViolation: false }, m);
    return { m, run };
  }

  it('leaves the request of a queued connection unread, and the run comes to rest with it on the wire', () => {
    const { m, run } = parked();
    expect(run.quiescent).toBe(true);
    expect(run.events.some((e) => e.type === 'queue' && e.at === 'connQueue.1')).toBe(true);
    const stuck = run.final.pending.filter((p) => p.to === 'connQueue.1' && p.wire.kind === 'request');
    expect(stuck).toHaveLength(1);
    expect(enabledOccurrences(m, run.final)).toEqual([]);
  });

  it('never logs a read on the queued connection', () => {
    const { run } = parked();
    const queuedConn = run.events.find((e) => e.type === 'queue')!.conn;
    expect(run.events.filter((e) => e.at === 'connQueue.1' && e.conn === queuedConn && e.type === 'recv')).toEqual([]);
  });

  it('gives a parked message no deadline: time may pass it while it waits', () => {
    const { run } = parked();
    const stuck = run.final.pending.find((p) => p.to === 'connQueue.1')!;
    expect(run.final.clock).toBeGreaterThan(stuck.latest);
  });
});

describe('occurrences: an RST on a flow the load balancer dropped', () => {
  // A client timeout resets its connection after the NLB silently dropped the idle
  // flow: the NLB must read and drop that RST, not leave it on the wire forever.
  const topology: Topology = {
    name: 'client-nlb',
    description: 'clients with a timeout straight into an NLB and a one-slot queue',
    tiers: [withParams(client, { timeout: 1_000 }), withParams(nlb, { idleTimeout: 500 }), withParams(connQueue, { limit: 1 }), database],
    instances: 1,
    instanceParticipant: 'EC2',
    latency: [1, 20],
    bounds: { clients: 2, requests: 1 },
  };

  it('the load balancer reads (and drops) the RST instead of leaving it on the wire forever', () => {
    const run = runScenario(topology, { clients: 2, requests: 1, schedule: [] }, [], { maxSteps: 500, stopAtViolation: false });
    expect(run.events.some((e) => e.type === 'expire' && e.conn === 'client>nlb#2')).toBe(true);
    expect(run.events.some((e) => e.type === 'reset' && e.at === 'client.2')).toBe(true);
    expect(run.quiescent).toBe(true);
    expect(run.final.pending.filter((p) => p.to === 'nlb')).toEqual([]);
    expect(run.events.some((e) => e.type === 'aborted' && e.at === 'nlb' && e.conn === 'client>nlb#2')).toBe(true);
  });
});

describe('occurrences: order', () => {
  it('lists enabled occurrences by earliest time', () => {
    forRandomSteps(41, 500, (_b, enabled) => {
      for (let i = 1; i < enabled.length; i++) expect(enabled[i]!.earliest).toBeGreaterThanOrEqual(enabled[i - 1]!.earliest);
    });
  });

  it('lists the same occurrences in the same order for equal states', () => {
    const m = model(seed, 2, 3);
    const rand = prng(43);
    let state = initialState(m);
    for (let i = 0; i < 100; i++) {
      const a = enabledOccurrences(m, state);
      const b = enabledOccurrences(m, JSON.parse(JSON.stringify(state)));
      expect(b).toEqual(a);
      const r = step(m, state, randomChoice(rand), a);
      if (!r) break;
      state = r.state;
    }
  });
});
