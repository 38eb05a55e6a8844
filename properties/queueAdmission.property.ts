import { describe, expect, it } from 'vitest';
import { mistaken, seed } from '../models/topologies/index.js';
import { check } from '../src/explore/check.js';
import { runScenario } from '../src/explore/run.js';
import { queueAdmission } from './queueAdmission.js';
import type { Topology } from '../models/topologies/topology.js';

const SEED = 7;

/** The seed pipeline with a queue of 1 slot, so that queueing happens in small runs. */
const oneSlot: Topology = {
  ...seed,
  name: 'seed-one-slot',
  tiers: seed.tiers.map((t) => (t.kind === 'connectionLimiter' ? { ...t, params: { limit: 1 } } : t)),
  instances: 1,
};

describe('queue-admission', () => {
  for (const topology of [seed, mistaken]) {
    it(`holds on ${topology.name}`, () => {
      const r = check(topology, queueAdmission, { runs: 300, seed: SEED });
      expect(r.verdict, `seed ${SEED}`).toBe('holds');
    });
  }

  it('holds when the queue is actually used (1 slot, 2 client connections)', () => {
    const r = check(oneSlot, queueAdmission, { runs: 300, seed: SEED, clients: 2, requests: 2 });
    expect(r.verdict, `seed ${SEED}`).toBe('holds');
  });

  it('sees queueing and later activation in the one-slot pipeline (the monitor is not vacuous)', () => {
    const run = runScenario(oneSlot, { clients: 2, requests: 1, schedule: [] }, [queueAdmission.monitor(oneSlot, null)]);
    const types = run.events.filter((e) => e.at === 'connQueue.1').map((e) => e.type);
    expect(types).toContain('queue');
    expect(types.filter((t) => t === 'activate').length).toBeGreaterThanOrEqual(2);
  });

  it('reports a read on a queued connection (fed a forged trace)', () => {
    const m = queueAdmission.monitor(oneSlot, null);
    const base = { at: 'connQueue.1', peer: 'nlb' } as const;
    expect(m.observe({ step: 1, t: 0, type: 'queue', ...base, conn: 'gateway>nlb#2' })).toBeNull();
    const v = m.observe({ step: 2, t: 1, type: 'recv', ...base, conn: 'gateway>nlb#2', msg: 'request', req: 'r1.1' });
    expect(v?.message).toMatch(/touched queued connection gateway>nlb#2/);
  });

  it('reports a connection read without ever being admitted or parked (fed a forged trace)', () => {
    const m = queueAdmission.monitor(oneSlot, null);
    const at = { at: 'connQueue.1', peer: 'nlb' } as const;
    expect(m.observe({ step: 1, t: 0, type: 'accept', ...at, conn: 'a' })).toBeNull();
    expect(m.observe({ step: 1, t: 0, type: 'activate', at: 'connQueue.1', conn: 'a' })).toBeNull();
    expect(m.observe({ step: 2, t: 1, type: 'accept', ...at, conn: 'b' })).toBeNull();
    const v = m.observe({ step: 3, t: 2, type: 'recv', ...at, conn: 'b', msg: 'request', req: 'r2.1' });
    expect(v?.message).toMatch(/touched b \(recv\) without admitting it to a slot or parking it/);
  });

  it('reports more active connections than the limit (fed a forged trace)', () => {
    const m = queueAdmission.monitor(oneSlot, null);
    expect(m.observe({ step: 1, t: 0, type: 'activate', at: 'connQueue.1', conn: 'a' })).toBeNull();
    expect(m.observe({ step: 2, t: 0, type: 'activate', at: 'connQueue.1', conn: 'b' })?.message).toMatch(/2 active connections, above its limit of 1/);
  });
});
