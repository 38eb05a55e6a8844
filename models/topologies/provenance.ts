import { descriptorOf, type Provenance } from '../machines/index.js';
import type { TierSpec, Topology } from './topology.js';

/** Where a tier's parameter value comes from: the tier's own provenance, else its machine kind's default one. */
export function provenanceOf(tier: TierSpec, param: string): Provenance | undefined {
  const own = (tier.sources as Record<string, Provenance> | undefined)?.[param];
  return own ?? (descriptorOf(tier.kind).params.sources as Record<string, Provenance>)[param];
}

/** A parameter of a topology whose value is an assumption: behaviour no source documents. */
export interface Assumption {
  tier: string;
  param: string;
  value: unknown;
  ref: string;
}

/** Every parameter of a topology that rests on an assumption, in pipeline order (the composer's own parameters left out). */
export function assumptionsOf(topology: Topology): Assumption[] {
  const out: Assumption[] = [];
  for (const tier of topology.tiers) {
    const composed = new Set<string>(descriptorOf(tier.kind).params.composed);
    for (const [param, value] of Object.entries(tier.params)) {
      if (composed.has(param)) continue;
      const p = provenanceOf(tier, param);
      if (p?.source === 'assumption') out.push({ tier: tier.name, param, value, ref: p.ref });
    }
  }
  return out;
}
