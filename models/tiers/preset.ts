import type { MachineKind } from '../machines/index.js';
import type { TierSpec } from '../topologies/topology.js';

/**
 * A tier preset: a machine kind with the defaults of one real product, and
 * where each default comes from. Topologies start from presets and override.
 */
export type TierPreset = TierSpec & {
  /** One line on what the tier does to connections and where the defaults come from. */
  about: string;
};

/** A preset of one machine kind. */
export type Preset<K extends MachineKind> = Extract<TierPreset, { kind: K }>;

/** A copy of a preset with some parameters overridden (the preset itself is never mutated). */
export function withParams<T extends TierPreset>(preset: T, overrides: Partial<T['params']>): T {
  return { ...preset, params: { ...preset.params, ...overrides } };
}
