/**
 * src/kernel/hash.ts: a serialisation independent of key order, and a stable state hash.
 */
import { describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { stableStringify, stateHash } from '../../src/kernel/hash.js';
import { initialState } from '../../src/kernel/state.js';
import { step } from '../../src/kernel/step.js';
import { model } from './harness.js';

/** The same object with its keys inserted in reverse order, recursively. */
function reversedKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reversedKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).reverse()) out[k] = reversedKeys((v as Record<string, unknown>)[k]);
  return out;
}

describe('stableStringify', () => {
  it('is independent of key insertion order, at every depth', () => {
    expect(stableStringify({ b: 1, a: { d: [1, { y: 2, x: 3 }], c: 'z' } })).toBe(
      stableStringify({ a: { c: 'z', d: [1, { x: 3, y: 2 }] }, b: 1 }),
    );
  });

  it('sorts keys and writes compact JSON', () => {
    expect(stableStringify({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}');
  });

  it('keeps array order (arrays are sequences, not sets)', () => {
    expect(stableStringify([1, 2])).not.toBe(stableStringify([2, 1]));
  });

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(stableStringify({ a: 1, b: undefined })).toBe(stableStringify({ a: 1 }));
  });

  it('tells apart values JSON tells apart', () => {
    expect(stableStringify({ a: '1' })).not.toBe(stableStringify({ a: 1 }));
    expect(stableStringify({ a: null })).not.toBe(stableStringify({}));
    expect(stableStringify('a"b')).toBe(JSON.stringify('a"b'));
  });
});

describe('stateHash', () => {
  const m = model(seed, 2, 2);
  const s0 = initialState(m);

  it('is 32 hex digits', () => {
    expect(stateHash(s0)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is equal for equal states built in a different key order', () => {
    expect(stateHash(reversedKeys(s0) as typeof s0)).toBe(stateHash(s0));
  });

  it('is equal for a state and its JSON round-trip', () => {
    expect(stateHash(JSON.parse(JSON.stringify(s0)))).toBe(stateHash(s0));
  });

  it('changes when the state changes', () => {
    const s1 = step(m, s0, { next: 0, delay: 0, pick: 0 })!.state;
    expect(stateHash(s1)).not.toBe(stateHash(s0));
  });
});
