import type { MachineKind, Provenance } from '../machines/index.js';
import type { TierSpec } from '../topologies/topology.js';

/**
 * A tier preset: a machine kind with the defaults of one real product, and
 * where each default comes from. Topologies start from presets and override.
 */
export type TierPreset = TierSpec & {
  /** One line on what the tier does to connections and where the defaults come from. */
  about: string;
};

/** A preset of one machine kind; every parameter it sets states its source. */
export type Preset<K extends MachineKind> = Extract<TierPreset, { kind: K }> & {
  sources: { readonly [P in keyof Extract<TierPreset, { kind: K }>['params']]?: Provenance };
};

/** The provenance of an override that names none: the topology chose the value (shipped topologies and topology files alike). */
export const CHOSEN: Provenance = { source: 'choice', ref: 'set by the topology' };

/**
 * A copy of a preset with some parameters overridden (the preset itself is
 * never mutated). Each overridden parameter takes `why` as its provenance
 * (one for all, or one per parameter): a shipped topology says why it changes
 * a product's default.
 */
export function withParams<T extends TierPreset>(
  preset: T,
  overrides: Partial<T['params']>,
  why: Provenance | { readonly [P in keyof T['params']]?: Provenance } = CHOSEN,
): T {
  const sources: Record<string, Provenance> = { ...(preset.sources as Record<string, Provenance> | undefined) };
  for (const k of Object.keys(overrides)) {
    const p = 'source' in why && typeof why.source === 'string' ? (why as Provenance) : (why as Record<string, Provenance>)[k];
    sources[k] = p ?? CHOSEN;
  }
  return { ...preset, params: { ...preset.params, ...overrides }, sources };
}
