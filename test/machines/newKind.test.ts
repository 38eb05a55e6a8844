/**
 * A machine kind is one file: the tap of test/fixtures/tapMachine.ts, which no
 * shipped code knows, works in topologies, topology files, random checks and
 * exhaustive search once it is registered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { l7ProxyDescriptor, registerMachineKind, unregisterMachineKind } from '../../models/machines/index.js';
import { client, database } from '../../models/tiers/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { composeSystem } from '../../models/system.js';
import { check } from '../../src/explore/check.js';
import { exhaustiveCheck } from '../../src/explore/exhaustive/index.js';
import { runScenario } from '../../src/explore/run.js';
import { parseTopologyText } from '../../src/topologyFile/load.js';
import { topologyToYaml } from '../../src/topologyFile/serialize.js';
import { conservation, oneToOne } from '../../properties/catalogue.js';
import { tapDescriptor } from '../fixtures/tapMachine.js';

const file = `
name: tapped
tiers:
  - kind: client
  - { name: edge, kind: proxy, upstreamPolicy: pooled }
  - { name: wire, kind: tap, log: true }
  - { name: db, kind: server, responseTime: [1ms, 5ms] }
bounds: { clients: 2, requests: 2 }
`;

const typed: Topology = {
  name: 'tapped-typed',
  description: 'client, a pooling proxy, a tap, a server per instance',
  tiers: [
    client,
    { name: 'edge', kind: 'l7Proxy', perInstance: false, participant: 'EDGE', params: { ...l7ProxyDescriptor.params.defaults, upstreamPolicy: 'pooled' } },
    { name: 'wire', kind: 'tap', perInstance: false, participant: 'TAP', params: { log: true } },
    { ...database, perInstance: true },
  ],
  instances: 1,
  instanceParticipant: 'host',
  latency: [1, 20],
  bounds: { clients: 2, requests: 2 },
};

describe('a machine kind registered by a plug-in', () => {
  beforeAll(() => registerMachineKind(tapDescriptor));
  afterAll(() => unregisterMachineKind(tapDescriptor.kind));

  it('is a kind of topology files: loaded, validated, written back', () => {
    const t = parseTopologyText(file, { source: 'tapped.yaml', format: 'yaml' });
    expect(t.tiers.map((x) => x.kind)).toEqual(['client', 'l7Proxy', 'tap', 'server']);
    expect(t.tiers[2]!.params).toEqual({ log: true });
    // Right after a pass-through tier, a tier is per instance (the shape rules read the kind's role).
    expect(t.tiers[3]!.perInstance).toBe(true);
    expect(topologyToYaml(t)).toContain('kind: tap');
    expect(() => parseTopologyText(file.replace('log: true', 'log: 3'), { source: 'bad.yaml', format: 'yaml' })).toThrow(/tiers\[2\]\.log|log.*expected true or false/);
  });

  it('runs in the kernel: every message crosses it, and it logs what it passes', () => {
    const run = runScenario(typed, { clients: 1, requests: 2, schedule: [] }, [], { maxSteps: 200, stopAtViolation: false });
    expect(run.quiescent).toBe(true);
    const tapped = run.events.filter((e) => e.at === 'wire' && e.type === 'route');
    expect(tapped.map((e) => e.req)).toEqual(['r1.1', 'r1.1', 'r1.2', 'r1.2']);
    expect(run.events.filter((e) => e.at === 'client.1' && e.type === 'outcome').map((e) => e.status)).toEqual([200, 200]);
  });

  it('is checked by random exploration: a pooled proxy mixes two client connections on one connection through the tap', () => {
    const r = check(typed, oneToOne, { runs: 300, seed: 7 });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample!.facet).toBe('edge>wire');
    expect(r.counterexample!.clientConnections).toBe(2);
    expect(check(typed, conservation, { runs: 100, seed: 7 }).verdict).toBe('holds');
  });

  it('is searched exhaustively, with symmetry and zones', () => {
    const holds = exhaustiveCheck(typed, oneToOne, { clients: 1, requests: 2 });
    expect(holds.verdict).toBe('holds');
    expect(holds.exhaustive.complete).toBe(true);
    const broken = exhaustiveCheck(typed, oneToOne, { clients: 2, requests: 1 });
    expect(broken.verdict).toBe('violated');
    expect(broken.counterexample!.facet).toBe('edge>wire');
  });

  it('is refused once unregistered, with the kinds that are allowed', () => {
    unregisterMachineKind(tapDescriptor.kind);
    try {
      expect(() => composeSystem(typed, { clients: 1, requests: 1 })).toThrow(/kind is 'tap', allowed: client, l7Proxy/);
      expect(() => parseTopologyText(file, { source: 'tapped.yaml', format: 'yaml' })).toThrow(/expected one of: client, proxy, loadBalancer, limiter, server, found "tap"/);
    } finally {
      registerMachineKind(tapDescriptor);
    }
  });
});
