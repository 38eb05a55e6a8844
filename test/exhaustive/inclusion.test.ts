import { describe, expect, it } from 'vitest';
import { composeSystem, type SystemModel } from '../../models/system.js';
import { connQueue, withParams } from '../../models/tiers/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { oneToOne } from '../../properties/catalogue.js';
import { canonicalForm } from '../../src/kernel/canonical.js';
import { parkedMessages } from '../../src/kernel/occurrences.js';
import { ClockBoundsOf } from '../../src/explore/exhaustive/clockBounds.js';
import type { SearchLimits } from '../../src/explore/exhaustive/search.js';
import { expand, initialSymState, type SymState } from '../../src/explore/exhaustive/symbolic.js';
import { mistakenPipeline, runSearch, seedPipeline } from './fixtures.js';

/** A search of one-to-one with 1 client connection and 2 requests, to `depth` levels. */
const searchTo = (topology: Topology, depth: number, limits: Partial<SearchLimits>) =>
  runSearch(topology, oneToOne, { clients: 1, requests: 2 }, { depth, ...limits });

/** The first symbolic state, breadth-first (discrete states deduplicated), that satisfies `want`. */
function firstState(model: SystemModel, want: (s: SymState) => boolean, limit = 20_000): SymState {
  const seen = new Set<string>();
  let level = [initialSymState(model)];
  while (level.length > 0 && seen.size < limit) {
    const next: SymState[] = [];
    for (const s of level) {
      if (want(s)) return s;
      expand(model, s, { pruneBranches: false }, (succ) => {
        const f = canonicalForm(model, { state: succ.sym.state, timing: null, monitors: [] }, { symmetry: true, zone: false });
        const key = `${f.hi}:${f.lo}`;
        if (seen.has(key)) return;
        seen.add(key);
        next.push(succ.sym);
      });
    }
    level = next;
  }
  throw new Error('no such state within the limit');
}

const identity = (s: SymState) => Array.from({ length: s.zone.n }, (_, k) => k);

describe('zone inclusion by LU simulation', () => {
  it('reaches exactly the discrete states plain inclusion reaches, keeping fewer zones (mistaken pipeline, 1 × 2, 36 levels)', () => {
    const plain = searchTo(mistakenPipeline, 36, { inclusion: 'plain' });
    const lu = searchTo(mistakenPipeline, 36, {});
    expect(lu.depth).toBe(plain.depth);
    expect(lu.discreteStates).toBe(plain.discreteStates);
    for (const [hi, lo] of plain.visited.entries()) expect(lu.visited.has(hi, lo)).toBe(true);
    // Pinned: a model or search change that alters the state space shows here.
    expect([plain.uniqueStates, lu.uniqueStates]).toEqual([1146, 1132]);
  });

  it('gives each clock the largest bounds of the messages and timers it times', () => {
    const model = composeSystem(seedPipeline, { clients: 1, requests: 1 });
    // A state with timers and a message to the limiter on a clock of its own.
    const alone = (x: SymState, k: number) => ![...x.tim].some((c, j) => j % 2 === 0 && c === x.pend[4 * k + 1]);
    const s = firstState(model, (x) => x.state.timers.length > 0 && x.state.pending.some((p, k) => p.to === 'connQueue.1' && alone(x, k)));
    const b = new ClockBoundsOf(model).of(s, identity(s));
    const [min, max] = seedPipeline.latency;
    // What each item asks of its clock: a message's age >= min (guard clock), <= max while readable (deadline
    // clock), and, where a connection limiter may leave it unread, > max once read (deadline clock); a timer
    // fires exactly at its delay.
    const L = new Array<number>(s.zone.n).fill(0);
    const U = new Array<number>(s.zone.n).fill(0);
    s.state.pending.forEach((p, k) => {
      const [g, d] = [s.pend[4 * k]!, s.pend[4 * k + 1]!];
      L[g] = Math.max(L[g]!, min);
      L[d] = Math.max(L[d]!, p.to.startsWith('connQueue') ? max + 1 : min);
      U[d] = Math.max(U[d]!, max);
    });
    s.state.timers.forEach((_, j) => {
      const c = s.tim[2 * j]!;
      L[c] = Math.max(L[c]!, s.tim[2 * j + 1]!);
      U[c] = Math.max(U[c]!, s.tim[2 * j + 1]!);
    });
    expect([...b.L]).toEqual(L);
    expect([...b.U]).toEqual(U);
    expect(L).toContain(max + 1); // a message to the limiter
    expect(Math.max(...L)).toBeGreaterThan(1000); // a timer
  });

  it('stops with an error when a tier other than a connection limiter leaves a message unread (the bounds would be wrong)', () => {
    // One slot: the second client's connection is parked, its request unread.
    const oneSlot: Topology = { ...seedPipeline, instances: 1, tiers: seedPipeline.tiers.map((t) => (t.name === 'connQueue' ? withParams(connQueue, { limit: 1 }) : t)) };
    const model = composeSystem(oneSlot, { clients: 2, requests: 1 });
    const s = firstState(model, (x) => parkedMessages(model, x.state).some((p) => p.wire.kind === 'request'));
    expect(() => new ClockBoundsOf(model).of(s, identity(s))).not.toThrow();
    // The same state, for bounds that believe the limiter reads everything (a descriptor that says it never parks).
    const believer = { ...model, instances: model.instances.map((i) => (i.id === 'connQueue.1' ? { ...i, descriptor: { ...i.descriptor, parks: false } } : i)) };
    expect(() => new ClockBoundsOf(believer).of(s, identity(s))).toThrow(/connQueue\.1 left a request on .* unread, but its machine's descriptor says it never parks/);
  });
});
