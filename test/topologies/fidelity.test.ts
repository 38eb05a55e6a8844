/**
 * The products' behaviour at system level, run through the kernel:
 * - NGINX with upstream keep-alive, racing Node's 5 s keep-alive close: a GET
 *   lost on the reused connection is sent again (no 502 reaches the client);
 *   a POST is not (the client gets the 502);
 * - CloudFront in front of an origin that refuses connections: three
 *   connection attempts per request, in the trace and in the per-boundary
 *   connection counts, then a 502;
 * - a health check that fails pulls its target out of the NLB's routing.
 */
import { describe, expect, it } from 'vitest';
import { clientDescriptor } from '../../models/machines/index.js';
import { cdn, client, database, withParams } from '../../models/tiers/index.js';
import { nginxUpstreamKeepalive, seed } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { raceScenarios } from '../../src/explore/races.js';
import { runScenario } from '../../src/explore/run.js';
import type { TraceEvent } from '../../src/kernel/events.js';

const withMethods = (t: Topology, methods: ('GET' | 'POST')[]): Topology => ({
  ...t,
  name: `${t.name}-${methods.join('-').toLowerCase()}`,
  tiers: t.tiers.map((x) => (x.kind === 'client' ? withParams(client, { methods }) : x)),
});

/** Whether NGINX had r1.2 on an upstream connection that was closed or reset under it. */
function nginxLostR12(events: readonly TraceEvent[]): boolean {
  const on = new Set(events.filter((e) => e.at.startsWith('nginx.') && e.type === 'send' && e.msg === 'request' && e.req === 'r1.2').map((e) => e.conn));
  const answered = new Set(events.filter((e) => e.at.startsWith('nginx.') && e.type === 'recv' && e.msg === 'response' && e.req === 'r1.2').map((e) => e.conn));
  return events.some((e) => e.at.startsWith('nginx.') && (e.type === 'closed' || e.type === 'aborted') && on.has(e.conn) && !answered.has(e.conn) && e.detail !== 'already closed here');
}

/** The directed race runs (the client's second request sent just as an idle timer fires) in which NGINX loses r1.2 upstream. */
function racesLosingAtNginx(t: Topology): TraceEvent[][] {
  return raceScenarios(t)
    .map((sc) => runScenario(t, sc, [], { maxSteps: 400, stopAtViolation: false }).events)
    .filter(nginxLostR12);
}

const outcomes = (events: readonly TraceEvent[]) =>
  events.filter((e) => e.at === 'client.1' && (e.type === 'outcome' || e.type === 'timeout')).map((e) => [e.req, e.status]);

describe('NGINX upstream keep-alive racing Node’s keep-alive close', () => {
  it('sends a GET lost on the reused connection again on a new one: the client gets its 200, no 502', () => {
    const t = withMethods(nginxUpstreamKeepalive, ['GET', 'GET']);
    const runs = racesLosingAtNginx(t);
    expect(runs.length).toBeGreaterThan(0);
    for (const events of runs) {
      const retry = events.find((e) => e.type === 'retry' && e.at.startsWith('nginx.'));
      expect(retry?.detail).toMatch(/reused connection nginx>app#\d+ lost under GET r1\.2/);
      expect(outcomes(events)).toEqual([
        ['r1.1', 200],
        ['r1.2', 200],
      ]);
    }
  });

  it('does not send a POST again: the client gets the 502', () => {
    const t = withMethods(nginxUpstreamKeepalive, ['GET', 'POST']);
    const runs = racesLosingAtNginx(t);
    expect(runs.length).toBeGreaterThan(0);
    for (const events of runs) {
      expect(events.some((e) => e.type === 'retry' && e.at.startsWith('nginx.'))).toBe(false);
      expect(events.find((e) => e.type === 'send' && e.at === 'client.1' && e.req === 'r1.2')?.method).toBe('POST');
      expect(outcomes(events)).toEqual([
        ['r1.1', 200],
        ['r1.2', 502],
      ]);
    }
  });
});

describe('CloudFront in front of an origin that refuses connections', () => {
  const refused: Topology = {
    name: 'cloudfront-refused',
    description: 'CloudFront in front of an origin with nothing listening',
    tiers: [client, cdn, { ...withParams(database, { listening: false }), name: 'origin', participant: 'ORIGIN' }],
    instances: 1,
    instanceParticipant: 'host',
    latency: [1, 20],
    bounds: { clients: 1, requests: 2 },
  };
  const run = runScenario(refused, { clients: 1, requests: 2, schedule: [] }, [], { maxSteps: 400, stopAtViolation: false });

  it('makes three connection attempts per request, then answers 502', () => {
    for (const req of ['r1.1', 'r1.2']) {
      const attempts = run.events.filter((e) => e.type === 'connect' && e.at === 'cdn' && e.req === req);
      expect(attempts, req).toHaveLength(3);
      expect(run.events.filter((e) => e.type === 'aborted' && e.at === 'cdn' && e.detail === 'connection refused' && attempts.some((a) => a.conn === e.conn))).toHaveLength(3);
      expect(run.events.filter((e) => e.type === 'retry' && e.at === 'cdn' && e.req === req).map((e) => e.detail!.replace(/cdn>origin#\d+/, 'X'))).toEqual([
        'connection X refused; attempt 2 of 3',
        'connection X refused; attempt 3 of 3',
      ]);
    }
    expect(outcomes(run.events)).toEqual([
      ['r1.1', 502],
      ['r1.2', 502],
    ]);
  });

  it('counts the attempts in the per-boundary connection counts: 6 at cdn>origin for 2 requests, 1 at client>cdn', () => {
    expect(run.final.counters).toEqual({ 'client>cdn': 1, 'cdn>origin': 6 });
  });

  it('never logs a refused handshake as accepted', () => {
    expect(run.events.filter((e) => e.type === 'accept' && e.at === 'origin')).toEqual([]);
  });
});

describe('NLB health checks decide routing', () => {
  // Checks that cannot pass (1 ms timeout) every 10 s: after 2 failures in a row a target is unhealthy.
  const failing: Topology = {
    ...seed,
    name: 'failing-checks',
    instances: 2,
    healthCheck: { ...seed.healthCheck!, interval: 10_000, timeout: 1, checks: 3 },
  };

  it('marks a target unhealthy after two failed checks in a row, and fails open when both are', () => {
    const run = runScenario(failing, { clients: 1, requests: 1, schedule: [] }, [], { maxSteps: 600, stopAtViolation: false });
    const health = run.events.filter((e) => e.type === 'health').map((e) => e.detail);
    expect(health).toEqual([
      'target 1 unhealthy (reported by health.1)',
      'target 2 unhealthy (reported by health.2); every target unhealthy: failing open, new flows go to all targets',
    ]);
    expect(run.events.filter((e) => e.type === 'notify').map((e) => [e.at, e.peer])).toEqual([
      ['health.1', 'nlb'],
      ['health.2', 'nlb'],
    ]);
  });

  it('has the client machine kind unchanged by health checks (they are their own machine kind)', () => {
    expect(clientDescriptor.role).toBe('client');
  });
});
