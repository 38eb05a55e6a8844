import { describe, expect, it } from 'vitest';
import { client, nginx, withParams } from '../models/tiers/index.js';
import {
  healthThroughQueue,
  mistaken,
  nginxKeepaliveOff,
  nginxKeepaliveShort,
  nginxUpstreamKeepalive,
  nodeKeepaliveLonger,
  queueRemoved,
  requestLimit,
  seed,
} from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { check, type CheckResult } from '../src/explore/check.js';
import { runScenario } from '../src/explore/run.js';
import { noReset } from './noReset.js';
import { raceScenarios } from '../src/explore/races.js';

const SEED = 42;
/** Random schedules on top of the directed race schedules (which find the races). */
const RUNS = 40;
/** When nothing should be found. */
const HOLD_RUNS = 80;

/** The boundaries where the directed race schedules lose a request: a cheaper witness of `violated` than a full check. */
const racesLostAt = (t: Topology) => [
  ...new Set(
    raceScenarios(t).flatMap((sc) => {
      const v = runScenario(t, sc, [noReset.monitor(t, null)], { maxSteps: 400, stopAtViolation: true }).violations[0];
      return v ? [v.facet!] : [];
    }),
  ),
];

const verdicts = (r: CheckResult) => Object.fromEntries(r.facets.map((f) => [f.facet, f.verdict]));
const lostAt = (r: CheckResult) => r.facets.filter((f) => f.verdict === 'violated').map((f) => f.facet);

/** A variant of the seed with NGINX's client-side keep-alive changed. */
const nginxWith = (name: string, params: Parameters<typeof withParams<typeof nginx>>[1]): Topology => ({
  ...seed,
  name,
  tiers: seed.tiers.map((t) => (t.name === nginx.name ? withParams(nginx, params) : t)),
});

describe('no-reset on seed', () => {
  const r = check(seed, noReset, { runs: RUNS, seed: SEED });

  it('is violated: NGINX’s 75 s keepalive_timeout closes a connection just as the gateway reuses it', () => {
    expect(r.verdict, `seed ${SEED}`).toBe('violated');
    const cx = r.facets.find((f) => f.facet === 'gateway>nlb')!.counterexample!;
    expect([cx.clientConnections, cx.requests]).toEqual([1, 2]);
    expect(cx.message).toMatch(/^gateway lost r1\.2: gateway>nlb#1 was (closed \(FIN\)|reset \(RST\)) by nlb while the request was on it/);
    expect(cx.message).toMatch(/nginx\.1 closed idle connQueue>nginx#1 at t=\d+ ms \(idle 75000 ms\)/);
    // The request and the close cross on the wire: the gateway sent r1.2 before the close reached it.
    const sent = cx.events.find((e) => e.type === 'send' && e.at === 'gateway' && e.req === 'r1.2' && e.msg === 'request')!;
    const closed = cx.events.find((e) => e.type === 'idle-close' && e.at === 'nginx.1')!;
    expect(sent.t - closed.t).toBeLessThan(20);
  });

  it('loses requests only where a connection is reused: never between NGINX and Node (a new connection per request)', () => {
    expect(lostAt(r), `seed ${SEED}`).toEqual(['gateway>nlb', 'connQueue>nginx']);
    expect(verdicts(r)['nginx>app']).toBe('holds');
    expect(verdicts(r)['health>nginx']).toBe('holds');
  });

  it('the race needs a directed schedule: a client silent until the deadline, then a fleet worker holding the idle connection', () => {
    const races = raceScenarios(seed);
    expect(races.length).toBeGreaterThan(0);
    const lost = races.filter((sc) => runScenario(seed, sc, [noReset.monitor(seed, null)], { maxSteps: 400, stopAtViolation: true }).violations[0]);
    expect(lost.length).toBeGreaterThan(0);
  });
});

describe('no-reset on mistaken', () => {
  // Pinned connections do not remove the keep-alive race: NGINX's 75 s keepalive_timeout closes its
  // client side as the client's next request arrives; the queue closes its pair, and the pinned gateway
  // connection goes under the request. Node's 5 s close of the pinned nginx>app connection is retried by
  // NGINX (a cached connection's failure), so nothing fails there.
  it('is violated too: NGINX’s keepalive_timeout closes the pinned chain under the next request', () => {
    const r = check(mistaken, noReset, { runs: RUNS, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('violated');
    expect(r.counterexample!.message).toMatch(/nginx\.1 closed idle connQueue>nginx#1 at t=\d+ ms \(idle 75000 ms\)/);
    expect(lostAt(r).sort(), `seed ${SEED}`).toEqual(['connQueue>nginx', 'gateway>nlb']);
    expect(verdicts(r)['nginx>app']).toBe('holds');
  });
});

describe('no-reset on the mitigations', () => {
  it('upstream keep-alive has the classic race (Node closes after 5 s what NGINX keeps 60 s), but NGINX sends a lost GET again', () => {
    const r = check(nginxUpstreamKeepalive, noReset, { runs: RUNS, seed: SEED });
    expect(verdicts(r)['nginx>app'], `seed ${SEED}`).toBe('holds');
  });

  it('and a POST lost in that race fails: NGINX does not send it again (proxy_next_upstream, since 1.9.13)', () => {
    const posts: Topology = {
      ...nginxUpstreamKeepalive,
      name: 'nginx-upstream-keepalive-post',
      tiers: nginxUpstreamKeepalive.tiers.map((t) => (t.kind === 'client' ? withParams(client, { methods: ['POST'] }) : t)),
    };
    expect(racesLostAt(posts)).toContain('nginx>app');
    const r = check(posts, noReset, { runs: RUNS, seed: SEED });
    expect(verdicts(r)['nginx>app'], `seed ${SEED}`).toBe('violated');
    const cx = r.facets.find((f) => f.facet === 'nginx>app')!.counterexample!;
    expect(cx.message).toMatch(/^nginx\.1 lost r1\.2: nginx>app#\d+ was .* by app\.1/);
    expect(cx.message).toMatch(/idle 5000 ms/);
  });

  it('Node’s keepAliveTimeout above NGINX’s upstream timeout removes that race, not the gateway’s', () => {
    const r = check(nodeKeepaliveLonger, noReset, { runs: HOLD_RUNS, seed: SEED });
    expect(verdicts(r)['nginx>app'], `seed ${SEED}`).toBe('holds');
    expect(lostAt(r), `seed ${SEED}`).toContain('gateway>nlb');
  });

  it('keepalive_timeout 0 repairs it: the gateway never reuses a connection NGINX may close', () => {
    const r = check(nginxKeepaliveOff, noReset, { runs: HOLD_RUNS, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('holds');
  });

  for (const topology of [queueRemoved, requestLimit, nginxKeepaliveShort, healthThroughQueue])
    it(`is still violated on ${topology.name}: NGINX still closes idle connections the gateway may reuse`, () => {
      expect(racesLostAt(topology)).toContain('gateway>nlb');
    });
});

describe('no-reset: the other races the issue names', () => {
  it('an NLB flow expired after 350 s idle resets the next request (once NGINX keeps connections longer than that)', () => {
    const t = nginxWith('seed-nginx-keepalive-3600s', { downstreamIdleTimeout: 3_600_000 });
    const r = check(t, noReset, { runs: RUNS, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('violated');
    expect(r.counterexample!.facet).toBe('gateway>nlb');
    // The race aimed at the flow's idle timeout: the gateway reuses its pooled connection just after the NLB forgot the flow.
    const messages = raceScenarios(t).map((sc) => runScenario(t, sc, [noReset.monitor(t, null)], { maxSteps: 400, stopAtViolation: true }).violations[0]?.message);
    expect(messages).toContainEqual(
      expect.stringMatching(/^gateway lost r1\.2: gateway>nlb#1 was reset \(RST\) by nlb while the request was on it; nlb reset it first \(no flow: it expired at the load balancer\)/),
    );
  });

  it('keepalive_requests does not race: the last response says Connection: close and every tier honours it', () => {
    const t = nginxWith('seed-keepalive-requests-1', { downstreamMaxRequests: 1 });
    const r = check(t, noReset, { runs: HOLD_RUNS, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('holds');
  });

  it('reports nothing when a tier closes its own connection (a timeout, an abandoned request)', () => {
    const m = noReset.monitor(seed, null);
    const on = { at: 'gateway', peer: 'nlb', conn: 'gateway>nlb#1' } as const;
    m.observe({ step: 1, t: 0, type: 'send', msg: 'request', req: 'r1.1', ...on });
    m.observe({ step: 2, t: 29_000, type: 'close', detail: 'abandoned after timeout', ...on });
    expect(m.observe({ step: 3, t: 29_010, type: 'closed', detail: 'already closed here', ...on })).toBeNull();
  });
});
