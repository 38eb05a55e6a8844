/**
 * src/kernel/step.ts: one scheduling decision at a time; deterministic, pure,
 * and carrying out machine effects as a TCP stack would.
 */
import { describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { runScenario } from '../../src/explore/run.js';
import { stableStringify, stateHash } from '../../src/kernel/hash.js';
import { enabledOccurrences } from '../../src/kernel/occurrences.js';
import { initialState, type SystemState } from '../../src/kernel/state.js';
import { step } from '../../src/kernel/step.js';
import type { TraceEvent } from '../../src/kernel/events.js';
import { firstRequestAnswered, isAct, isDeliver, isTimer, model, prng, randomChoice, sampleScenarios } from './harness.js';

const OPTIONS = { maxSteps: 300, stopAtViolation: false };

describe('step: determinism', () => {
  const scenarios = sampleScenarios(25, 20240611);

  it('gives byte-identical events JSON and equal state hashes for the same topology and schedule', () => {
    for (const sc of scenarios) {
      const a = runScenario(seed, sc, [], OPTIONS);
      const b = runScenario(structuredClone(seed), structuredClone(sc), [], OPTIONS);
      expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
      expect(stateHash(b.final)).toBe(stateHash(a.final));
      expect(b.steps).toBe(a.steps);
    }
  });

  it('explores different runs for different schedules (the check above is not vacuous)', () => {
    const hashes = new Set(scenarios.map((sc) => stateHash(runScenario(seed, sc, [], OPTIONS).final)));
    expect(hashes.size).toBeGreaterThan(scenarios.length / 2);
  });

  it('gives the same run from a state rebuilt from plain JSON at every step (the state is all there is)', () => {
    const m = model(seed, 2, 3);
    const rand = prng(7);
    let live: SystemState = initialState(m);
    let plain: SystemState = JSON.parse(JSON.stringify(live));
    for (let i = 0; i < 150; i++) {
      const choice = randomChoice(rand);
      const a = step(m, live, choice);
      const b = step(m, plain, choice);
      if (!a || !b) {
        expect(b).toBe(a);
        break;
      }
      expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
      live = a.state;
      plain = JSON.parse(JSON.stringify(b.state));
      expect(stateHash(plain)).toBe(stateHash(live));
    }
  });
});

describe('step: purity', () => {
  it('never changes the state it steps from', () => {
    const m = model(seed, 2, 3);
    const rand = prng(11);
    let state = initialState(m);
    for (let i = 0; i < 200; i++) {
      const before = stableStringify(state);
      const r = step(m, state, randomChoice(rand));
      expect(stableStringify(state), `step ${i + 1} mutated its input`).toBe(before);
      if (!r) break;
      state = r.state;
    }
  });

  it('can branch: two choices from one state, then the first again, give the first result again', () => {
    const m = model(seed, 2, 3);
    const rand = prng(5);
    let state = initialState(m);
    for (let i = 0; i < 120; i++) {
      const c1 = randomChoice(rand);
      const c2 = randomChoice(rand);
      const a = step(m, state, c1);
      if (!a) break;
      step(m, state, c2);
      const again = step(m, state, c1)!;
      expect(stateHash(again.state)).toBe(stateHash(a.state));
      expect(JSON.stringify(again.events)).toBe(JSON.stringify(a.events));
      state = a.state;
    }
  });

  it('does not change the initial state of a model across runs', () => {
    const m = model(seed, 2, 2);
    const before = stableStringify(initialState(m));
    runScenario(seed, { clients: 2, requests: 2, schedule: [] }, [], OPTIONS, m);
    expect(stableStringify(initialState(m))).toBe(before);
  });
});

describe('step: connections', () => {
  it('numbers the connections of each boundary 1, 2, ... in the order they open', () => {
    const run = runScenario(seed, { clients: 2, requests: 2, schedule: [] }, [], OPTIONS);
    const opened = run.events.filter((e) => e.type === 'connect' && e.at.startsWith('client.')).map((e) => e.conn);
    expect(opened.slice(0, 2)).toEqual(['client>cdn#1', 'client>cdn#2']);
  });

  it('keeps every message of a connection through the load balancer on the target chosen when it opened', () => {
    const targetsSeen = new Set<string>();
    for (const sc of sampleScenarios(30, 99)) {
      const { events } = runScenario(seed, sc, [], OPTIONS);
      const where = new Map<string, Set<string>>();
      for (const e of events) {
        if (!e.conn?.startsWith('gateway>nlb#') || !e.at.startsWith('connQueue.')) continue;
        if (!where.has(e.conn)) where.set(e.conn, new Set());
        where.get(e.conn)!.add(e.at);
        targetsSeen.add(e.at);
      }
      for (const [conn, at] of where) expect([...at], conn).toHaveLength(1);
    }
    expect([...targetsSeen].sort()).toEqual(['connQueue.1', 'connQueue.2']);
  });
});

describe('step: a closed end', () => {
  /**
   * client -> database whose idle timeout closes the connection; the client's
   * next request crosses the FIN and arrives at the database's closed end.
   */
  function crossing() {
    const r = firstRequestAnswered(100);
    r.take(isTimer('idle:client>database#1'));
    r.take(isAct()); // the request crosses the FIN
    return r;
  }

  it('answers data arriving at a closed end with an RST back to the sender', () => {
    const r = crossing();
    const { events } = r.take(isDeliver('request', 'database'));
    expect(events).toEqual([
      expect.objectContaining({
        type: 'reset',
        at: 'database',
        peer: 'client.1',
        conn: 'client>database#1',
        req: 'r1.2',
        detail: 'request arrived after this end closed',
      }),
    ]);
    const back = r.state.pending.filter((p) => p.conn === 'client>database#1' && p.from === 'database');
    expect(back.map((p) => p.wire.kind)).toEqual(['fin', 'rst']);
  });

  it('does not hand data arriving at a closed end to the tier machine', () => {
    const r = crossing();
    const before = r.state.instances.database;
    r.take(isDeliver('request', 'database'));
    expect(r.state.instances.database).toEqual(before);
  });

  it('drops a FIN or RST arriving at an end already closed, without answering', () => {
    const r = crossing();
    r.take(isDeliver('request', 'database'));
    const lost = r.take(isDeliver('fin', 'client.1')).events;
    expect(lost.map((e) => e.type)).toEqual(['closed', 'outcome']);
    expect(lost[1]).toMatchObject({ req: 'r1.2', status: 0 });
    const { events } = r.take(isDeliver('rst', 'client.1'));
    expect(events).toEqual([expect.objectContaining({ type: 'aborted', at: 'client.1', detail: 'already closed here' })]);
    expect(r.state.pending).toEqual([]);
  });

  it('forgets a connection once both ends are done and nothing is left on the wire', () => {
    const r = crossing();
    r.take(isDeliver('request', 'database'));
    r.take(isDeliver('fin', 'client.1'));
    r.take(isDeliver('rst', 'client.1'));
    expect(r.state.conns).toEqual({});
  });
});

describe('step: trace events', () => {
  it('stamps each event with the step number and the model time of its step', () => {
    const run = runScenario(seed, { clients: 1, requests: 2, schedule: [] }, [], OPTIONS);
    let prev: TraceEvent | undefined;
    for (const e of run.events) {
      if (prev) {
        expect(e.step).toBeGreaterThanOrEqual(prev.step);
        expect(e.t).toBeGreaterThanOrEqual(prev.t);
      }
      prev = e;
    }
    expect(run.events.at(-1)!.step).toBeLessThanOrEqual(run.steps);
  });

  it('returns null when nothing is enabled (the run is over)', () => {
    const run = runScenario(seed, { clients: 1, requests: 1, schedule: [] }, [], { maxSteps: 2000, stopAtViolation: false });
    expect(run.quiescent).toBe(true);
    const m = model(seed, 1, 1);
    expect(enabledOccurrences(m, run.final)).toEqual([]);
    expect(step(m, run.final, { next: 0, delay: 0, pick: 0 })).toBeNull();
  });
});
