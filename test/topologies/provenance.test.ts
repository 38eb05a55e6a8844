/**
 * Every number has a source: each parameter of each shipped preset states
 * where its value comes from (seed, doc, assumption), and each parameter of
 * each shipped topology has a provenance, its preset's or its override's.
 */
import { describe, expect, it } from 'vitest';
import { descriptorOf } from '../../models/machines/index.js';
import * as presetModules from '../../models/tiers/index.js';
import type { TierPreset } from '../../models/tiers/index.js';
import { topologies } from '../../models/topologies/index.js';

const presets = Object.values(presetModules as Record<string, unknown>).filter(
  (v): v is TierPreset => typeof v === 'object' && v !== null && 'kind' in v && 'params' in v,
);

describe('presets', () => {
  it.each(presets.map((p) => [p.name, p] as const))('%s states the source of every parameter it sets', (_, p) => {
    const composed = new Set<string>(descriptorOf(p.kind).params.composed);
    for (const k of Object.keys(p.params)) {
      if (composed.has(k)) continue; // set when composing (a bound, the instances), never a product's default
      const s = (p.sources as Record<string, { source: string; ref: string }> | undefined)?.[k];
      expect(s, `${p.name}.${k}`).toBeDefined();
      expect(['seed', 'doc', 'assumption'], `${p.name}.${k}: a preset states a product's default`).toContain(s!.source);
      expect(s!.ref.length, `${p.name}.${k}: the citation or reason`).toBeGreaterThan(10);
    }
  });
});

describe('shipped topologies', () => {
  it.each(Object.values(topologies).map((t) => [t.name, t] as const))('%s: every parameter has a provenance', (_, t) => {
    for (const tier of t.tiers) {
      const d = descriptorOf(tier.kind);
      for (const k of Object.keys(tier.params)) {
        if (d.params.composed.includes(k as never)) continue;
        const s = (tier.sources as Record<string, unknown> | undefined)?.[k] ?? (d.params.sources as Record<string, unknown>)[k];
        expect(s, `${t.name}: ${tier.name}.${k}`).toBeDefined();
      }
    }
  });
});
