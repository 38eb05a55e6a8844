import type { z } from 'zod';
import { machineDescriptors } from '../../models/machines/index.js';
import { passesThrough } from '../../models/system.js';
import { CHOSEN, type TierPreset } from '../../models/tiers/index.js';
import type { Provenance } from '../../models/machines/index.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';
import { describe, has, isRecord, type ProblemList } from './problemList.js';
import { closest, didYouMean, type DocPath } from './problems.js';
import { descriptorForFile, fileKindNames, fileKindOf, paramShape, presetNames, presetNamesOf, presets, tierCommonShape } from './schema.js';

/** A file's tiers (null where a tier's kind is unknown) and where each came from (null: inherited untouched). */
export interface ReadTiers {
  tiers: (TierSpec | null)[];
  paths: (DocPath | null)[];
}

/** Reads a file's `tiers`: a list of tiers, or a mapping of overrides of its base's tiers. */
export class TierReader {
  /** Tiers (by index in a tiers list) whose perInstance came from their preset, not from the file. */
  readonly presetPerInstance = new Map<number, string>();

  constructor(private readonly problems: ProblemList) {}

  /** The tiers: a list is the whole pipeline; a mapping overrides the base's tiers by name. */
  read(data: Record<string, unknown>, base: Topology | null): ReadTiers {
    let tiers: (TierSpec | null)[] = [];
    /** Where each tier came from, for shape problems: its path in this file, or null when inherited untouched. */
    let tierPaths: (DocPath | null)[] = [];
    const rawTiers = data.tiers;
    if (!has(data, 'tiers')) {
      if (!has(data, 'extends')) this.problems.problem(['tiers'], 'missing: expected the list of tiers, the client first (or `extends` a shipped topology)');
      else if (base) [tiers, tierPaths] = [base.tiers.map((t) => structuredClone(t)), base.tiers.map(() => null)];
    } else if (Array.isArray(rawTiers)) {
      if (rawTiers.length > 32) this.problems.problem(['tiers'], `expected at most 32 tiers, found ${rawTiers.length}`);
      else {
        for (const [i, raw] of rawTiers.entries()) {
          const prev = tiers[i - 1];
          tiers.push(this.tier(raw, i, prev ? passesThrough(prev) : false));
          tierPaths.push(['tiers', i]);
        }
      }
    } else if (isRecord(rawTiers)) {
      if (!has(data, 'extends'))
        this.problems.problem(['tiers'], 'a mapping of tier overrides needs `extends` (the topology whose tiers it overrides); without it, list the tiers in order');
      else if (base) [tiers, tierPaths] = this.overrides(rawTiers, base);
    } else {
      this.problems.problem(['tiers'], `expected a list of tiers (or, with \`extends\`, a mapping of overrides by tier name), found ${describe(rawTiers)}`);
    }
    return { tiers, paths: tierPaths };
  }

  /** One entry of a `tiers` list. Null when its kind (or preset) is unknown, so its place in the pipeline cannot be checked. */
  private tier(raw: unknown, i: number, afterLoadBalancer: boolean): TierSpec | null {
    const path = ['tiers', i];
    if (!isRecord(raw)) {
      this.problems.problem(path, `expected a tier: a mapping with a kind (${fileKindNames().join(', ')}) or a preset (${presetNames.join(', ')}), found ${describe(raw)}`);
      return null;
    }
    let kind: string | undefined;
    let preset: TierPreset | undefined;
    let kindOk = true;
    if (has(raw, 'kind')) {
      const k = raw.kind;
      if (typeof k === 'string' && fileKindNames().includes(k)) kind = k;
      else {
        kindOk = false;
        const isPreset = typeof k === 'string' && presets.has(k);
        this.problems.problem(
          [...path, 'kind'],
          `expected one of: ${fileKindNames().join(', ')}, found ${describe(k)}${isPreset ? `; '${k}' is a preset: write \`preset: ${k}\`` : didYouMean(k, fileKindNames())}`,
        );
      }
    }
    if (has(raw, 'preset')) {
      const p = raw.preset;
      if (typeof p === 'string' && presets.has(p)) preset = presets.get(p);
      else {
        kindOk = false;
        this.problems.problem([...path, 'preset'], `expected one of: ${presetNames.join(', ')}, found ${describe(p)}${didYouMean(p, presetNames)}`);
      }
    }
    if (preset && kind && descriptorForFile(kind).kind !== preset.kind) {
      this.problems.problem([...path, 'kind'], `preset '${preset.name}' is a ${fileKindOf(preset.kind)}, but kind says '${kind}'; drop one of them`);
      return null;
    }
    if (!kindOk) return null;
    const fileKind = kind ?? (preset ? fileKindOf(preset.kind) : undefined);
    if (!fileKind) {
      this.problems.problem(path, `missing kind: expected \`kind\` (${fileKindNames().join(', ')}) or \`preset\` (${presetNames.join(', ')})`);
      return null;
    }
    const descriptor = descriptorForFile(fileKind);
    const f = this.problems.fields(raw, { ...tierCommonShape, ...paramShape(fileKind) } as Record<string, z.ZodType>, path, ['kind', 'preset']);
    // Default name: the preset's, else the kind's (`client`, `server`); a second tier of a kind needs a name of its own.
    const name = (f.name as string | undefined) ?? preset?.name ?? (has(raw, 'name') ? `unnamed${i}` : fileKind);
    const defaults = descriptor.params;
    // A required field that is only misspelt is reported once, as the unknown field with its correction.
    const misspelt = (r: string) => Object.keys(raw).some((k) => !has(f, k) && k !== 'kind' && k !== 'preset' && closest(k, [r]) === r);
    if (!preset)
      for (const r of defaults.required)
        if (!has(raw, r) && !misspelt(r))
          this.problems.problem(
            path,
            `missing ${r}: a ${fileKind} without a preset needs one${choices(paramShape(fileKind)[r])}, or start from a preset: ${presetNamesOf(fileKind).join(', ')}`,
          );
    const about = (f.about as string | undefined) ?? preset?.about;
    if (preset && f.perInstance === undefined) this.presetPerInstance.set(i, preset.name);
    const sources = this.sources(preset?.sources, preset?.params, f, fileKind, path);
    return {
      name,
      kind: descriptor.kind,
      perInstance: (f.perInstance as boolean | undefined) ?? preset?.perInstance ?? afterLoadBalancer,
      participant: (f.participant as string | undefined) ?? preset?.participant ?? name,
      params: withOverrides(preset?.params ?? defaults.defaults, f, fileKind),
      ...(about !== undefined ? { about } : {}),
      ...(sources ? { sources } : {}),
    } as TierSpec;
  }

  /** `tiers` as a mapping with `extends`: the base's tiers, each overridden by the entry of its name. */
  private overrides(raw: Record<string, unknown>, base: Topology): [TierSpec[], (DocPath | null)[]] {
    const names = base.tiers.map((t) => t.name);
    const tiers = base.tiers.map((t) => structuredClone(t) as TierSpec);
    const paths: (DocPath | null)[] = base.tiers.map(() => null);
    for (const [name, entry] of Object.entries(raw)) {
      const path = ['tiers', name];
      const j = names.indexOf(name);
      if (j < 0) {
        this.problems.problem(
          path,
          `no tier named '${name}' in '${base.name}'${didYouMean(name, names) || `; its tiers: ${names.join(', ')}`} (overrides are matched by tier name; to add or remove tiers, list the whole pipeline under tiers)`,
        );
        continue;
      }
      if (!isRecord(entry)) {
        this.problems.problem(path, `expected a mapping of the fields to override, found ${describe(entry)}`);
        continue;
      }
      const t = tiers[j]!;
      const fileKind = fileKindOf(t.kind);
      if (has(entry, 'kind') && entry.kind !== fileKind)
        this.problems.problem([...path, 'kind'], `'${name}' is a ${fileKind} in '${base.name}' and an override cannot change its kind, found ${describe(entry.kind)}; to change the pipeline, list every tier under tiers`);
      if (has(entry, 'preset'))
        this.problems.problem([...path, 'preset'], `an override cannot start from a preset; to replace '${name}', list every tier under tiers`);
      if (has(entry, 'name')) this.problems.problem([...path, 'name'], `overrides are matched by the key ('${name}'); a tier cannot be renamed in an override`);
      const { name: _n, ...common } = tierCommonShape;
      const f = this.problems.fields(entry, { ...common, ...paramShape(fileKind) } as Record<string, z.ZodType>, path, ['kind', 'preset', 'name']);
      const about = (f.about as string | undefined) ?? (t as { about?: string }).about;
      const sources = this.sources(t.sources, t.params, f, fileKind, path);
      tiers[j] = {
        name: t.name,
        kind: t.kind,
        perInstance: (f.perInstance as boolean | undefined) ?? t.perInstance,
        participant: (f.participant as string | undefined) ?? t.participant,
        params: withOverrides(t.params, f, fileKind),
        ...(about !== undefined ? { about } : {}),
        ...(sources ? { sources } : {}),
      } as TierSpec;
      paths[j] = path;
    }
    return [tiers, paths];
  }

  /**
   * The provenance of a tier's parameters: what it inherits (its preset's or
   * its base tier's), each parameter this file changes as the topology's
   * choice (a value equal to the inherited one keeps its source: the file
   * only restates it), and what the file states in `sources` (for parameters
   * of its kind only). Undefined when there is nothing to say.
   */
  private sources(
    inherited: Readonly<Record<string, Provenance>> | undefined,
    inheritedParams: object | undefined,
    f: Record<string, unknown>,
    fileKind: string,
    path: DocPath,
  ): Record<string, Provenance> | undefined {
    const params = Object.keys(paramShape(fileKind));
    const out: Record<string, Provenance> = { ...inherited };
    const before = (inheritedParams ?? {}) as Record<string, unknown>;
    for (const k of params) if (has(f, k) && !(has(before, k) && JSON.stringify(before[k]) === JSON.stringify(f[k]))) out[k] = CHOSEN;
    const given = (f.sources ?? {}) as Record<string, Provenance>;
    for (const [k, p] of Object.entries(given)) {
      if (!params.includes(k)) {
        const hint = closest(k, params);
        this.problems.problem([...path, 'sources', k], `not a parameter of a ${fileKind}${hint ? `; did you mean '${hint}'?` : `; its parameters: ${params.join(', ')}`}`);
        continue;
      }
      out[k] = { source: p.source, ref: p.ref };
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}

/** `params` with the fields of `f` that are parameters replacing theirs, in the params' own key order. */
export function withOverrides<P extends object>(params: P, f: Record<string, unknown>, fileKind: string): P {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = has(f, k) ? f[k] : Array.isArray(v) ? [...v] : v;
  // Optional parameters (a fleet's `spread`) come after the others, as `withParams` puts them.
  for (const k of Object.keys(paramShape(fileKind))) if (has(f, k) && !has(out, k)) out[k] = f[k];
  return out as P;
}

/** A tier with the parameters its topology decides filled in (the machine's `settle`: a load balancer's targets). */
export function settled(t: TierSpec, instances: number): TierSpec {
  const settle = machineDescriptors().find((d) => d.kind === t.kind)?.settle;
  return settle ? ({ ...t, params: settle(t.params, { instances }) } as TierSpec) : t;
}

/** The allowed values of an enum field, for a message: ` (pinned, pooled, fleet or perRequest)`; empty for other fields. */
export function choices(schema: z.ZodType | undefined): string {
  const options = (schema as { options?: unknown } | undefined)?.options;
  if (!Array.isArray(options) || options.length === 0) return '';
  return ` (${options.length === 1 ? options[0] : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`})`;
}
