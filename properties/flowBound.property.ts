import { describe, expect, it } from 'vitest';
import { itHasVerdicts } from '../test/support/verdicts.js';
import {
  healthThroughQueue,
  mistaken,
  nginxKeepaliveOff,
  nginxKeepaliveShort,
  queueRemoved,
  requestLimit,
  seed,
  seedSmall,
} from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { check } from '../src/explore/check.js';
import { flowReport as flowsOver } from '../src/trace/flows.js';
import { flowBound, flowBoundOf } from './flowBound.js';
import { queueFillingBounds } from './traffic.js';

/** The counts flow-bound measures, within its own bounds. */
const flowReport = (t: Topology, o: { runs: number; seed: number }) => flowsOver(t, queueFillingBounds(t), o);

const SEED = 42;
const HOLD_RUNS = 60;

describe('flow-bound on seed', () => {
  const r = check(seed, flowBound, { runs: 100, seed: SEED });

  it('bounds each instance by its connection queue’s limit, and checks the boundaries with an instance side', () => {
    expect(flowBoundOf(seed)).toEqual({ bound: 15, why: 'connQueue’s limit' });
    expect(flowBound.facets(seed)).toEqual(['nlb>connQueue', 'connQueue>nginx', 'nginx>app', 'app>database']);
  });

  it('is violated where the flows enter the queue: one client connection holds 16 flows open on instance 1', () => {
    expect(r.verdict, `seed ${SEED}`).toBe('violated');
    const cx = r.counterexample!;
    expect(cx.facet).toBe('nlb>connQueue');
    expect([cx.clientConnections, cx.requests]).toEqual([1, 16]);
    expect(cx.message).toMatch(/^client connection client>cdn#1 holds 16 connections open at nlb>connQueue on instance 1, above the bound of 15/);
  });

  it('holds behind the queue: it proxies at most 15 of them to NGINX, which opens one app connection per request', () => {
    const byFacet = Object.fromEntries(r.facets.map((f) => [f.facet, f.verdict]));
    expect(byFacet, `seed ${SEED}`).toEqual({ 'nlb>connQueue': 'violated', 'connQueue>nginx': 'holds', 'nginx>app': 'holds', 'app>database': 'holds' });
  });
});

describe('flow-bound counts', () => {
  it('on seed-small: 3 flows of one client connection at instance 1’s queue (limit 2), at most 2 proxied on', () => {
    const f = flowReport(seedSmall, { runs: 20, seed: SEED });
    expect(f['nlb>connQueue']!['1']).toBe(3);
    expect(f['connQueue>nginx']!['1']).toBe(2);
    expect(f['gateway>nlb']!['*']).toBeGreaterThanOrEqual(3);
  });

  it('on mistaken: one connection at every boundary', () => {
    const f = flowReport(mistaken, { runs: 20, seed: SEED });
    for (const [boundary, row] of Object.entries(f))
      for (const [instance, n] of Object.entries(row)) expect(n, `${boundary} #${instance}`).toBeLessThanOrEqual(1);
  });

  it('on queue-removed: the fan-out is still there (17 flows into one NGINX), measured against the seed’s bound of 15', () => {
    expect(flowBoundOf(queueRemoved)).toEqual({ bound: 15, why: 'the topology’s flowBound' });
    expect(flowBoundOf({ ...queueRemoved, flowBound: undefined })).toBeNull();
    const f = flowReport(queueRemoved, { runs: 0, seed: SEED });
    expect(f['nlb>nginx']!['1']).toBe(17);
  });
});

describe('flow-bound verdicts', () => {
  itHasVerdicts(flowBound, [
    [seedSmall, 'violated', '3 flows against a limit of 2'],
    [mistaken, 'holds', 'one flow per client connection'],
    [queueRemoved, 'violated', 'no queue, but the fan-out is unchanged: 16 flows into one NGINX against the seed’s 15'],
    [requestLimit, 'violated', 'the limiter counts requests, not connections: the fan-out is unchanged'],
    [nginxKeepaliveOff, 'holds', 'a connection closes after its request, so one client connection holds one flow at a time'],
    [nginxKeepaliveShort, 'violated', '16 flows still fit within 10 s'],
    [healthThroughQueue, 'violated', 'traffic is unchanged'],
  ], SEED, { holds: HOLD_RUNS, violated: 20 });

  it('takes an explicit bound from the topology (flowBound 1: the team’s assumption per instance)', () => {
    const strict: Topology = { ...queueRemoved, name: 'queue-removed-flow-bound-1', flowBound: 1 };
    const r = check(strict, flowBound, { runs: 50, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('violated');
    expect(r.counterexample!.message).toMatch(/holds 2 connections open at nlb>nginx on instance 1, above the bound of 1 \(the topology’s flowBound\)/);
  });
});
