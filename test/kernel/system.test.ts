/**
 * models/system.ts (the kernel's input): composeSystem and checkTopologyShape
 * build the instances of a topology and reject shapes the kernel cannot run.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { tierOf } from '../../models/ids.js';
import { checkTopologyShape, composeSystem } from '../../models/system.js';
import { app, cdn, client, connQueue, database, gateway, nginx, nlb } from '../../models/tiers/index.js';
import { mistaken, seed } from '../../models/topologies/index.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';

const shaped = (tiers: TierSpec[], extra: Partial<Topology> = {}): Topology => ({ ...seed, name: 'shape', tiers, ...extra });

/** The InputError `f` throws (fails the test when it throws nothing or something else). */
function inputErrorOf(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

describe('checkTopologyShape', () => {
  it('accepts the shipped topologies', () => {
    expect(() => checkTopologyShape(seed)).not.toThrow();
    expect(() => checkTopologyShape(mistaken)).not.toThrow();
  });

  it('rejects a load balancer as the last tier', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, gateway, nlb])));
    expect(e.message).toContain("'nlb'");
    expect(e.message).toContain('between two terminating tiers');
  });

  it('rejects a load balancer first (where the client must be)', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([nlb, connQueue, nginx, app, database])));
    expect(e.message).toMatch(/tiers\[0\].*client/);
  });

  it('accepts a load balancer directly behind the client (the client connection passes through it)', () => {
    expect(() => checkTopologyShape(shaped([client, nlb, connQueue, database]))).not.toThrow();
  });

  it('rejects two load balancers in a row', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, gateway, nlb, { ...nlb, name: 'nlb2' }, connQueue, database])));
    expect(e.message).toContain('between two terminating tiers');
  });

  it('rejects a per-instance tier after a shared proxy', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, cdn, gateway, connQueue, nginx, app, database])));
    expect(e.message).toContain("'connQueue'");
    expect(e.message).toContain('must follow a load balancer or another per-instance tier');
  });

  it('rejects a per-instance tier right after the client', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, nginx, database])));
    expect(e.message).toContain("'nginx'");
  });

  it('rejects a per-instance load balancer', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, gateway, { ...nlb, perInstance: true }, connQueue, database])));
    expect(e.message).toContain('cannot be per-instance');
  });

  it('rejects a topology without a client', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([cdn, gateway, nlb, connQueue, nginx, app, database])));
    expect(e.message).toMatch(/tiers\[0\].*client/);
  });

  it('rejects a second client further down', () => {
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, cdn, { ...client, name: 'client2' }])));
    expect(e.message).toContain('tiers[2]');
  });

  it('rejects a lone client', () => {
    expect(inputErrorOf(() => checkTopologyShape(shaped([client]))).message).toContain('at least a client and one more tier');
  });

  it('rejects duplicate tier names', () => {
    expect(inputErrorOf(() => checkTopologyShape(shaped([client, cdn, cdn]))).message).toContain('used twice');
  });

  it('rejects an unknown machine kind, naming the allowed kinds', () => {
    const bad = { ...cdn, kind: 'teleporter' } as unknown as TierSpec;
    const e = inputErrorOf(() => checkTopologyShape(shaped([client, bad])));
    expect(e.message).toContain("'teleporter'");
    expect(e.message).toContain('l7Proxy');
  });

  it('rejects a non-integer or zero instance count', () => {
    expect(inputErrorOf(() => checkTopologyShape(shaped(seed.tiers, { instances: 0 }))).message).toContain('instances');
    expect(inputErrorOf(() => checkTopologyShape(shaped(seed.tiers, { instances: 1.5 }))).message).toContain('instances');
  });

  it('composeSystem rejects bad shapes with the same InputError', () => {
    expect(() => composeSystem(shaped([client, gateway, nlb]), { clients: 1, requests: 1 })).toThrow(InputError);
  });
});

describe('composeSystem', () => {
  const sys = composeSystem(seed, { clients: 2, requests: 3 });

  it('makes one instance per client, per shared tier, per instance of per-instance tiers, and a health checker per instance', () => {
    expect(sys.instances.map((i) => i.id)).toEqual([
      'client.1',
      'client.2',
      'cdn',
      'gateway',
      'nlb',
      'connQueue.1',
      'connQueue.2',
      'nginx.1',
      'nginx.2',
      'app.1',
      'app.2',
      'database',
      'health.1', // the alive-check on port 8080, straight into nginx.1
      'health.2',
    ]);
  });

  it('routes each hop: shared to shared, through the load balancer to the chosen target, along an instance', () => {
    expect(sys.nextHop('client.2')).toBe('cdn');
    expect(sys.nextHop('gateway')).toBe('nlb');
    expect(sys.nextHop('nlb', 0)).toBe('connQueue.1');
    expect(sys.nextHop('nlb', 1)).toBe('connQueue.2');
    expect(sys.nextHop('connQueue.2')).toBe('nginx.2');
    expect(sys.nextHop('app.2')).toBe('database');
    expect(sys.nextHop('database')).toBeNull();
  });

  it('gives the load balancer one target per instance and the clients the request bound', () => {
    expect(sys.byId.get('nlb')!.input).toMatchObject({ params: { targets: seed.instances } });
    expect(sys.byId.get('client.2')!.input).toEqual({ index: 2, params: { ...client.params, requests: 3 } });
  });

  it('names tiers of instances', () => {
    expect(tierOf('connQueue.2')).toBe('connQueue');
    expect(tierOf('gateway')).toBe('gateway');
  });
});
