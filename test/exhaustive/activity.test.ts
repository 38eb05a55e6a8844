import { describe, expect, it } from 'vitest';
import { mistaken, seed } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { oneToOne } from '../../properties/catalogue.js';
import type { Property } from '../../src/explore/property.js';
import { boundLadder, exhaustiveCheck } from '../../src/explore/exhaustive/index.js';
import { Search, type TimeAbstraction, type Validator } from '../../src/explore/exhaustive/search.js';
import { expectReplays, runSearch, seedPipeline } from './fixtures.js';

/** A search in the given time, cut at `maxStates`. */
const search = (topology: Topology, property: Property, bounds: { clients: number; requests: number }, time: TimeAbstraction, maxStates: number, validate: Validator | null = null): Search =>
  runSearch(topology, property, bounds, { time, maxStates }, validate);

/** Fingerprints of `inner` missing from `outer`. */
function missing(inner: Search, outer: Search): number {
  let n = 0;
  for (const [hi, lo] of inner.visited.entries()) if (!outer.visited.has(hi, lo)) n++;
  return n;
}

// The seed's two-tier stack on one instance, with its health checker: three activities at test size.
const mistakenOneInstance: Topology = { ...mistaken, name: 'mistaken-1-instance', instances: 1 };

describe('activity time: each activity in its own local time (an over-approximation)', () => {
  it('reaches every discrete state that exact time reaches (client beside a health checker)', () => {
    const exact = search(mistakenOneInstance, oneToOne, { clients: 1, requests: 1 }, 'exact', 5_000);
    const local = search(mistakenOneInstance, oneToOne, { clients: 1, requests: 1 }, 'activity', 100_000);
    expect(exact.stoppedBy).toBe('max-states'); // exact zones fragment: it does not finish here
    expect(local.stoppedBy).toBe('complete');
    expect(exact.discreteStates).toBeGreaterThan(150);
    expect(missing(exact, local)).toBe(0);
  });

  it('reaches every discrete state that exact time reaches (two clients)', () => {
    const exact = search(seedPipeline, oneToOne, { clients: 2, requests: 1 }, 'exact', 5_000);
    const local = search(seedPipeline, oneToOne, { clients: 2, requests: 1 }, 'activity', 20_000);
    expect(exact.discreteStates).toBeGreaterThan(500);
    expect(missing(exact, local)).toBe(0);
  });

  it('proves one-to-one on mistaken (one instance, health checker, 1 client connection × 1 request) with a complete state space', () => {
    const r = exhaustiveCheck(mistakenOneInstance, oneToOne, { clients: 1, requests: 1 });
    expect(r.verdict).toBe('holds');
    expect(r.exhaustive.complete).toBe(true);
    expect(r.exhaustive.timeAbstraction).toBe('activity');
    expect(r.exhaustive.uniqueStates).toBe(UNIQUE_MISTAKEN_ONE_INSTANCE);
  });

  it('finds the same shortest one-to-one counterexample as exact time (seed pipeline, 1 × 2)', () => {
    const exact = exhaustiveCheck(seedPipeline, oneToOne, { clients: 1, requests: 2, time: 'exact' });
    const local = exhaustiveCheck(seedPipeline, oneToOne, { clients: 1, requests: 2 });
    expect(local.counterexample!.steps).toBe(exact.counterexample!.steps);
    expect(local.counterexample!.facet).toBe(exact.counterexample!.facet);
  });
});

describe('exhaustive search on the seed with its health checkers (issue 5)', () => {
  const r = exhaustiveCheck(seed, oneToOne, { clients: 1, requests: 2 });

  it('is violated with a shortest counterexample of 1 client connection and 2 requests at gateway>nlb', () => {
    expect(r.verdict).toBe('violated');
    expect(r.counterexample!.clientConnections).toBe(1);
    expect(r.counterexample!.requests).toBe(2);
    expect(r.counterexample!.facet).toBe('gateway>nlb');
    expect(r.counterexample!.steps).toBe(25);
    expect(r.exhaustive.shortest).toBe(true);
    expect(r.exhaustive.spurious).toEqual([]);
  });

  it('records it as a schedule that replay re-executes exactly, health checkers included', () => {
    expectReplays(seed, oneToOne, r.counterexample!);
  });
});

describe('paths infeasible in exact time', () => {
  it('are not reported: the facet stays undecided, and a later real path is not called shortest', () => {
    let rejected = 0;
    // A validator that calls the first two paths spurious, as exact time would for an over-approximation.
    const s = search(seedPipeline, oneToOne, { clients: 1, requests: 2 }, 'activity', 20_000, (f) => (rejected++ < 2 ? null : f.path.length));
    expect(s.spurious.get('gateway>nlb')).toBe(2);
    // The two 25-step paths were the only ones at that depth: the facet is decided one level later.
    expect(s.found.get('gateway>nlb')!.path.length).toBe(26);
    expect(s.foundAfterSpurious.has('gateway>nlb')).toBe(true);
    expect(s.foundAfterSpurious.has('cdn>gateway')).toBe(false);
  });

  it('keep a complete search from proving the facet', () => {
    // Every path called spurious: the search runs to the end and decides nothing.
    const s = search(seedPipeline, oneToOne, { clients: 1, requests: 2 }, 'activity', 40_000, () => null);
    expect(s.stoppedBy).toBe('complete');
    expect(s.found.size).toBe(0);
    expect(s.spurious.get('gateway>nlb')).toBeGreaterThan(0);
    expect(s.spurious.has('client>cdn')).toBe(false); // it holds: nothing to reject there
  });
});

describe('bounds, smallest first', () => {
  it('orders stages by total requests, then fewer clients; explicit bounds are fixed', () => {
    expect(boundLadder({ clients: 2, requests: 3 }, {})).toEqual([
      { clients: 1, requests: 1 },
      { clients: 1, requests: 2 },
      { clients: 2, requests: 1 },
      { clients: 1, requests: 3 },
      { clients: 2, requests: 2 },
      { clients: 2, requests: 3 },
    ]);
    expect(boundLadder({ clients: 2, requests: 3 }, { clients: 1 })).toEqual([
      { clients: 1, requests: 1 },
      { clients: 1, requests: 2 },
      { clients: 1, requests: 3 },
    ]);
    expect(boundLadder({ clients: 2, requests: 3 }, { clients: 2, requests: 3 })).toEqual([{ clients: 2, requests: 3 }]);
  });

  it('moves to larger bounds only after a complete search of the smaller ones found nothing', () => {
    const r = exhaustiveCheck(seedPipeline, oneToOne, {});
    expect(r.verdict).toBe('violated');
    expect(r.exhaustive.stages.map((s) => [s.clients, s.requests, s.complete])).toEqual([
      [1, 1, true],
      [1, 2, false],
    ]);
    expect(r.counterexample!.requests).toBe(2);
    expect(r.exhaustive.uniqueStates).toBe(r.exhaustive.stages.reduce((n, s) => n + s.uniqueStates, 0));
  });
});

const UNIQUE_MISTAKEN_ONE_INSTANCE = 2688;
