import { describe, expect, it } from 'vitest';
import { mistaken, seed } from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { check } from '../src/explore/check.js';
import { runScenario } from '../src/explore/run.js';
import { conservation } from './conservation.js';

/** The seed with its gateway throttled to one request a second, burst 1: the second request in a burst is answered 429. */
const throttled: Topology = {
  ...seed,
  name: 'seed-throttled',
  tiers: seed.tiers.map((t) => (t.name === 'gateway' ? ({ ...t, params: { ...t.params, throttleRate: 1, throttleBurst: 1 } } as typeof t) : t)),
};

const SEED = 11;

describe('conservation', () => {
  for (const topology of [seed, mistaken]) {
    it(`holds on ${topology.name}`, () => {
      const r = check(topology, conservation, { runs: 300, seed: SEED });
      expect(r.verdict, `seed ${SEED}`).toBe('holds');
    });
  }

  it("counts the gateway's 429 as a request's one outcome: it holds with a throttled gateway, whose 429s reach the clients", () => {
    const run = runScenario(throttled, { clients: 2, requests: 2, schedule: [] }, [conservation.monitor(throttled, null)]);
    expect(run.quiescent).toBe(true);
    expect(run.violations).toEqual([null]);
    const outcomes = run.events.filter((e) => e.type === 'outcome' && e.at.startsWith('client.'));
    expect(outcomes.map((e) => e.status).sort()).toEqual([200, 429, 429, 429]);
    expect(check(throttled, conservation, { runs: 100, seed: SEED }).verdict).toBe('holds');
  });

  it('reports a response sent back on another connection than the request came on', () => {
    const m = conservation.monitor(seed, null);
    m.observe({ step: 1, t: 0, type: 'recv', at: 'gateway', peer: 'cdn', conn: 'cdn>gateway#1', msg: 'request', req: 'r1.1' });
    const v = m.observe({ step: 2, t: 1, type: 'send', at: 'gateway', peer: 'cdn', conn: 'cdn>gateway#2', msg: 'response', req: 'r1.1', status: 200 });
    expect(v?.message).toMatch(/answered r1.1 on cdn>gateway#2, but it arrived on cdn>gateway#1/);
  });

  it('reports a duplicated response', () => {
    const m = conservation.monitor(seed, null);
    const recv = { step: 1, t: 0, type: 'recv', at: 'nginx.1', peer: 'connQueue.1', conn: 'c', msg: 'request', req: 'r1.1' } as const;
    const send = { step: 2, t: 1, type: 'send', at: 'nginx.1', peer: 'connQueue.1', conn: 'c', msg: 'response', req: 'r1.1', status: 200 } as const;
    m.observe(recv);
    expect(m.observe(send)).toBeNull();
    expect(m.observe({ ...send, step: 3 })?.message).toMatch(/answered r1.1 twice/);
  });

  it('reports a request lost in a run that came to rest, but not in one cut off by the step bound', () => {
    const lost = () => {
      const m = conservation.monitor(seed, null);
      m.observe({ step: 1, t: 0, type: 'send', at: 'client.1', peer: 'cdn', conn: 'client>cdn#1', msg: 'request', req: 'r1.1' });
      return m;
    };
    expect(lost().end(true, { step: 9, t: 5 })?.message).toMatch(/r1.1 was sent but never answered/);
    expect(lost().end(false, { step: 9, t: 5 })).toBeNull();
  });
});
