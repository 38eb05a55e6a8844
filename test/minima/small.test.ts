/**
 * Minimum counterexamples on small topologies defined here, independent of
 * the shipped presets (which move when the tier machines do): fewest client
 * connections, then requests, then steps. Where exhaustive search can decide
 * the property, breadth-first search confirms that no shorter run exists.
 */
import { describe, expect, it } from 'vitest';
import { l4LoadBalancerDescriptor } from '../../models/machines/l4LoadBalancer.js';
import { l7ProxyDescriptor, type L7ProxyParams } from '../../models/machines/l7Proxy.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';
import { propertyNamed } from '../../properties/catalogue.js';
import { check } from '../../src/explore/check.js';
import { exhaustiveCheck } from '../../src/explore/exhaustive/index.js';

const client: TierSpec = { name: 'client', kind: 'client', perInstance: false, participant: 'Client', params: { requests: 2, timeout: null } };
const proxy = (name: string, p: Partial<L7ProxyParams>): TierSpec => ({ name, kind: 'l7Proxy', perInstance: false, participant: name, params: { ...l7ProxyDescriptor.params.defaults, ...p } });
const server = (perInstance: boolean, idleTimeout: number | null): TierSpec => ({ name: 'server', kind: 'server', perInstance, participant: 'Server', params: { responseTime: [1, 20], idleTimeout } });
const small = (name: string, description: string, tiers: TierSpec[]): Topology => ({
  name,
  description,
  tiers,
  instances: 1,
  instanceParticipant: 'Host',
  latency: [1, 5],
  bounds: { clients: 2, requests: 3 },
});

const TOPOLOGIES: Record<string, Topology> = {
  'idle-server': small('idle-server', 'a client keeping its connection to a server that closes idle ones after 1 s', [client, server(false, 1_000)]),
  'shared-pool': small('shared-pool', 'two clients through one pooling proxy', [client, proxy('pool', { upstreamPolicy: 'pooled' }), server(false, null)]),
  capped: small('capped', 'a pool in front of a proxy that closes a connection after 2 requests', [
    client,
    proxy('pool', { upstreamPolicy: 'pooled' }),
    proxy('capped', { upstreamPolicy: 'pooled', downstreamMaxRequests: 2 }),
    server(false, null),
  ]),
  'fleet-over-limit': small('fleet-over-limit', 'a fleet of 3 (no spread) in front of a 2-slot limiter, 5 s request timeout', [
    client,
    proxy('fleet', { upstreamPolicy: 'fleet', workers: 3, requestTimeout: 5_000 }),
    { name: 'lb', kind: 'l4LoadBalancer', perInstance: false, participant: 'LB', params: { ...l4LoadBalancerDescriptor.params.defaults, targets: 1, idleTimeout: null } },
    { name: 'limiter', kind: 'connectionLimiter', perInstance: true, participant: 'Limiter', params: { limit: 2 } },
    server(true, null),
  ]),
};

type Row = [topology: string, property: string, facet: string | null, clientConnections: number, requests: number, steps: number];

// prettier-ignore
const MINIMA: Row[] = [
  ['idle-server', 'no-reset', 'client>server', 1, 2, 7],          // the second request crosses the server's idle close
  ['shared-pool', 'one-to-one', 'pool>server', 2, 2, 9],          // the second client's request reuses the first's pooled connection
  ['capped', 'one-to-one', 'pool>capped', 2, 2, 12],               // the pool shares a connection between two client connections
  ['fleet-over-limit', 'one-to-one', 'fleet>lb', 1, 2, 15],        // request 2 on another worker
  ['fleet-over-limit', 'flow-bound', 'lb>limiter', 1, 3, 29],      // 3 requests on 3 workers: 3 connections at a 2-slot limiter
  ['fleet-over-limit', 'no-starvation', null, 1, 3, 31],           // the third is parked and times out
];

describe('minimum counterexamples on small topologies defined here', () => {
  it.each(MINIMA)('%s %s at %s: %i client connection(s), %i requests, %i steps', (t, p, facet, clientConnections, requests, steps) => {
    const r = check(TOPOLOGIES[t]!, propertyNamed(p));
    const cx = r.counterexample!;
    expect(r.verdict).toBe('violated');
    expect([cx.facet, cx.clientConnections, cx.requests, cx.steps]).toEqual([facet, clientConnections, requests, steps]);
  });

  it('is as short as breadth-first search finds, where exhaustive search can decide the property', () => {
    for (const [t, p, , clientConnections, requests, steps] of MINIMA.filter(([, p]) => propertyNamed(p).capabilities.exhaustive)) {
      const shortest = exhaustiveCheck(TOPOLOGIES[t]!, propertyNamed(p), { clients: clientConnections, requests: Math.ceil(requests / clientConnections) }).counterexample!;
      expect([shortest.clientConnections, shortest.requests, shortest.steps], `${p} on ${t}`).toEqual([clientConnections, requests, steps]);
    }
  });

  it('counts a connection closed after `Connection: close` and replaced as one at a time: one client connection alone keeps one-to-one on capped', () => {
    // Issue 12's reading: request 3 rides a new connection after the capped proxy closed the first, a replacement,
    // not a second one. Breadth-first search over 1 client connection × 3 requests completes without a violation.
    const r = exhaustiveCheck(TOPOLOGIES['capped']!, propertyNamed('one-to-one'), { clients: 1, requests: 3 });
    expect([r.verdict, r.exhaustive.complete]).toEqual(['holds', true]);
  });

  it('does not apply where a property has nothing to speak about, and says why', () => {
    const r = check(TOPOLOGIES['idle-server']!, propertyNamed('no-starvation'));
    expect(r).toMatchObject({ verdict: 'not applicable', reason: 'no tier has a request timeout, so there is no deadline', runs: 0 });
    expect(check(TOPOLOGIES['shared-pool']!, propertyNamed('flow-bound')).reason).toMatch(/^no per-instance connection limiter/);
    expect(check(TOPOLOGIES['shared-pool']!, propertyNamed('queue-admission')).reason).toMatch(/^no connection limiter/);
  });
});
