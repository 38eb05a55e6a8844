import { describe, expect, it } from 'vitest';
import { mistaken, seed } from '../models/topologies/index.js';
import { check } from '../src/explore/check.js';
import { conservation } from './conservation.js';

const SEED = 11;

describe('conservation', () => {
  for (const topology of [seed, mistaken]) {
    it(`holds on ${topology.name}`, () => {
      const r = check(topology, conservation, { runs: 300, seed: SEED });
      expect(r.verdict, `seed ${SEED}`).toBe('holds');
    });
  }

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
