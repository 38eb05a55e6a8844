import { describe, expect, it } from 'vitest';
import { composeSystem, type SystemModel } from '../../models/system.js';
import { canonicalForm } from '../../src/kernel/canonical.js';
import { expand, initialSymState, type SymState } from '../../src/explore/exhaustive/symbolic.js';
import { rng, seedPipeline } from './fixtures.js';

/**
 * The abstraction must not merge states that behave differently: two states
 * with the same canonical fingerprint must have the same successors (as
 * fingerprints, so the same enabled occurrences up to renaming), and walking
 * the same random choices of successor from both must keep them equal.
 */
const key = (model: SystemModel, s: SymState, symmetry: boolean) => {
  const f = canonicalForm(model, { state: s.state, timing: { pend: s.pend, tim: s.tim, n: s.zone.n, d: s.zone.d }, monitors: [] }, { symmetry });
  return `${f.hi}:${f.lo}`;
};

function successors(model: SystemModel, s: SymState, symmetry: boolean): Map<string, SymState> {
  const out = new Map<string, SymState>();
  expand(model, s, { pruneBranches: false }, (succ) => {
    const k = key(model, succ.sym, symmetry);
    if (!out.has(k)) out.set(k, succ.sym);
  });
  return out;
}

function collidingPairs(model: SystemModel, symmetry: boolean, limit: number): [SymState, SymState][] {
  const first = new Map<string, SymState>();
  const pairs: [SymState, SymState][] = [];
  let level = [initialSymState(model)];
  while (level.length > 0 && pairs.length < limit) {
    const next: SymState[] = [];
    for (const s of level)
      expand(model, s, { pruneBranches: symmetry }, (succ) => {
        const k = key(model, succ.sym, symmetry);
        const seen = first.get(k);
        if (!seen) {
          first.set(k, succ.sym);
          next.push(succ.sym);
        } else if (seen !== succ.sym && pairs.length < limit) pairs.push([seen, succ.sym]);
      });
    level = next;
  }
  return pairs;
}

describe('canonical fingerprints', () => {
  for (const symmetry of [true, false])
    it(`merge only states with the same futures (${symmetry ? 'with' : 'without'} symmetry)`, () => {
      const model = composeSystem(seedPipeline, { clients: 1, requests: 1 });
      const pairs = collidingPairs(model, symmetry, 40);
      expect(pairs.length).toBeGreaterThan(10);
      const random = rng(1);
      for (const [a0, b0] of pairs) {
        let a = a0;
        let b = b0;
        for (let depth = 0; depth < 12; depth++) {
          const sa = successors(model, a, symmetry);
          const sb = successors(model, b, symmetry);
          expect([...sb.keys()].sort()).toEqual([...sa.keys()].sort());
          if (sa.size === 0) break;
          const pick = [...sa.keys()].sort()[Math.floor(random() * sa.size)]!;
          a = sa.get(pick)!;
          b = sb.get(pick)!;
        }
      }
    });

  it('gives symmetric states (clients swapped) the same fingerprint only with symmetry on', () => {
    const model = composeSystem(seedPipeline, { clients: 2, requests: 1 });
    const init = initialSymState(model);
    const acts: SymState[] = [];
    expand(model, init, { pruneBranches: true }, (s) => {
      if (s.occurrence.kind === 'act') acts.push(s.sym);
    });
    expect(acts).toHaveLength(2); // client.1 acts, client.2 acts
    expect(key(model, acts[0]!, true)).toBe(key(model, acts[1]!, true));
    expect(key(model, acts[0]!, false)).not.toBe(key(model, acts[1]!, false));
  });
});
