import { describe, expect, it } from 'vitest';
import { nginx, withParams } from '../models/tiers/index.js';
import { mistaken, nginxKeepaliveOff, nginxKeepaliveShort, seed } from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { check } from '../src/explore/check.js';
import { runScenario } from '../src/explore/run.js';
import { keepaliveLimits } from './keepaliveLimits.js';

const SEED = 23;

/** keepalive_requests 2, so that small runs reach the request limit. */
const twoPerConnection = (base: Topology): Topology => ({
  ...base,
  name: `${base.name}-keepalive-requests-2`,
  tiers: base.tiers.map((t) => (t.name === nginx.name ? withParams(t as typeof nginx, { downstreamMaxRequests: 2 }) : t)),
});

describe('keepalive-limits', () => {
  it('has one facet per proxy with client-side keep-alive limits: nginx and the app (Node’s keepAliveTimeout)', () => {
    expect(keepaliveLimits.facets(seed)).toEqual(['nginx', 'app']);
  });

  for (const topology of [seed, mistaken, nginxKeepaliveShort, nginxKeepaliveOff])
    it(`holds on ${topology.name}`, () => {
      const r = check(topology, keepaliveLimits, { runs: 100, seed: SEED });
      expect(r.verdict, `seed ${SEED}`).toBe('holds');
    });

  it('holds when the request limit is actually reached (keepalive_requests 2, 3 requests per client)', () => {
    for (const base of [seed, mistaken]) {
      const r = check(twoPerConnection(base), keepaliveLimits, { runs: 60, seed: SEED, requests: 3 });
      expect(r.verdict, `${base.name}, seed ${SEED}`).toBe('holds');
    }
    // Not vacuous: on the pinned pipeline every request of a client reaches the same nginx connection,
    // and the second one's response says Connection: close.
    const pinned = twoPerConnection(mistaken);
    const run = runScenario(pinned, { clients: 1, requests: 3, schedule: [] }, [keepaliveLimits.monitor(pinned, null)]);
    expect(run.events.filter((e) => e.type === 'max-requests' && e.at === 'nginx.1')).toHaveLength(1);
    expect(run.events.find((e) => e.type === 'send' && e.at === 'nginx.1' && e.msg === 'response' && e.req === 'r1.2')).toMatchObject({ close: true });
    expect(run.violations[0]).toBeNull();
  });

  it('reports a request above keepalive_requests on one connection (fed a forged trace)', () => {
    const m = keepaliveLimits.monitor(twoPerConnection(seed), 'nginx');
    const on = { at: 'nginx.1', peer: 'connQueue.1', conn: 'connQueue>nginx#1' } as const;
    m.observe({ step: 1, t: 0, type: 'accept', ...on });
    for (let i = 1; i <= 2; i++) {
      expect(m.observe({ step: 2 * i, t: i, type: 'recv', msg: 'request', req: `r1.${i}`, ...on })).toBeNull();
      expect(m.observe({ step: 2 * i + 1, t: i, type: 'send', msg: 'response', req: `r1.${i}`, status: 200, ...on })).toBeNull();
    }
    expect(m.observe({ step: 9, t: 5, type: 'recv', msg: 'request', req: 'r1.3', ...on })?.message).toMatch(
      /nginx\.1 read r1\.3, request 3 on connQueue>nginx#1, above its keepalive_requests of 2/,
    );
  });

  it('reports a connection kept idle past keepalive_timeout (fed a forged trace)', () => {
    const m = keepaliveLimits.monitor(seed, 'nginx');
    const on = { at: 'nginx.1', peer: 'connQueue.1', conn: 'connQueue>nginx#1' } as const;
    m.observe({ step: 1, t: 0, type: 'accept', ...on });
    m.observe({ step: 2, t: 1, type: 'recv', msg: 'request', req: 'r1.1', ...on });
    m.observe({ step: 3, t: 10, type: 'send', msg: 'response', req: 'r1.1', status: 200, ...on });
    expect(m.observe({ step: 4, t: 75_010, type: 'timer', at: 'app.1', key: 'x' })).toBeNull();
    expect(m.observe({ step: 5, t: 75_011, type: 'timer', at: 'app.1', key: 'y' })?.message).toMatch(
      /nginx\.1 kept connQueue>nginx#1 open and idle for 75001 ms, past its keep-alive idle timeout of 75000 ms/,
    );
  });

  it('reports a connection left idle when the run comes to rest, which no timer closed (fed a forged trace)', () => {
    const idleAtRest = () => {
      const m = keepaliveLimits.monitor(seed, 'nginx');
      const on = { at: 'nginx.1', peer: 'connQueue.1', conn: 'connQueue>nginx#1' } as const;
      m.observe({ step: 1, t: 0, type: 'accept', ...on });
      m.observe({ step: 2, t: 1, type: 'recv', msg: 'request', req: 'r1.1', ...on });
      m.observe({ step: 3, t: 10, type: 'send', msg: 'response', req: 'r1.1', status: 200, ...on });
      return m;
    };
    expect(idleAtRest().end(true, { step: 3, t: 10 })?.message).toMatch(/kept connQueue>nginx#1 open and idle from t=10 ms until the run came to rest/);
    expect(idleAtRest().end(false, { step: 3, t: 10 })).toBeNull();
  });
});
