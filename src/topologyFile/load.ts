import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../../models/inputError.js';
import { machineDescriptors } from '../../models/machines/index.js';
import { composeSystem, passesThrough, topologyShapeProblems } from '../../models/system.js';
import { healthCheck as healthCheckPreset, type TierPreset } from '../../models/tiers/index.js';
import { topologies } from '../../models/topologies/index.js';
import type { HealthCheck, Mitigation, TierSpec, Topology } from '../../models/topologies/topology.js';
import { stableStringify } from '../kernel/hash.js';
import { closest, didYouMean, fallbackMessages, problemsFromIssues, TopologyFileError, type DocPath, type FileProblem } from './problems.js';
import { descriptorForFile, documentFields, fileKindNames, fileKindOf, paramShape, presetNames, presetNamesOf, presets, tierCommonShape } from './schema.js';
import { MAX_FILE_BYTES, parseText, type ParsedText } from './text.js';

/** How far `extends` may chain (a file extending a file extending …). */
export const MAX_EXTENDS_DEPTH = 8;


/** Top-level defaults when neither the file nor its base gives them. */
export const topLevelDefaults = {
  instances: 1,
  instanceParticipant: 'instance',
  latency: [1, 20] as const,
  bounds: { clients: 2, requests: 3 },
};

export interface LoadOptions {
  /** How messages name the file (the path as the user gave it). */
  source: string;
  /** Default: from the source's extension, else YAML. */
  format?: 'yaml' | 'json';
  /** Where `extends: other.yaml` is resolved from. Default: the source's directory. */
  baseDir?: string;
  /** Files being loaded through `extends`, outermost first (absolute paths), to refuse cycles. */
  chain?: readonly string[];
}

/** Does this `--topology` / `extends` value name a file rather than a shipped topology? */
export function isTopologyPath(arg: string): boolean {
  return /\.(ya?ml|json)$/i.test(arg) || arg.includes('/') || arg.includes('\\');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: object, k: string) => Object.hasOwn(o, k);

/** The name a file's topology gets when it names none: its file name without the extension, as a valid name. */
export function defaultNameFor(source: string): string {
  const stem = basename(source).replace(/\.(ya?ml|json)$/i, '');
  const clean = stem.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return clean.length > 0 ? clean : 'topology';
}

function formatOf(source: string): 'yaml' | 'json' {
  return /\.json$/i.test(source) ? 'json' : 'yaml';
}

/**
 * Reads a topology file (YAML or JSON) into a Topology, or throws a
 * TopologyFileError listing every problem found, with its path and line.
 */
export function loadTopologyFile(path: string, options: Partial<LoadOptions> = {}): Topology {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`topology file '${path}' is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `topology file '${path}' not found${/\.ya?ml$/i.test(path) ? `; to write a commented starter file there: connmodel init ${path}` : ''}`
        : `cannot read topology file '${path}' (${code ?? (e as Error).message})`,
    );
  }
  if (size > MAX_FILE_BYTES)
    throw new TopologyFileError(path, [{ source: path, path: [], message: `the file is ${Math.ceil(size / 1024)} KiB; a topology file may be at most ${MAX_FILE_BYTES / 1024} KiB` }]);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read topology file '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseTopologyText(text, { source: path, format: formatOf(path), baseDir: dirname(path), ...options });
}

/** Parses the text of a topology file. Never throws anything but InputError (a TopologyFileError for problems in the text). */
export function parseTopologyText(text: string, options: LoadOptions): Topology {
  return new Loader(text, options).load();
}

class Loader {
  private readonly problems: FileProblem[] = [];
  /** Tiers (by index in a tiers list) whose perInstance came from their preset, not from the file. */
  private readonly presetPerInstance = new Map<number, string>();
  private parsed: ParsedText | null = null;
  private readonly source: string;

  constructor(
    private readonly text: string,
    private readonly options: LoadOptions,
  ) {
    this.source = options.source;
  }

  private problem(path: DocPath, message: string) {
    this.problems.push({ source: this.source, path, ...(this.parsed?.position(path) ?? {}), message });
  }

  private zodProblems(issues: readonly z.core.$ZodIssue[], prefix: DocPath, allowed: (p: DocPath) => readonly string[]) {
    for (const p of problemsFromIssues(issues, this.source, prefix, allowed)) this.problem(p.path, p.message);
  }

  /**
   * Validates the fields of `obj` one by one with the zod schemas of `shape`,
   * so that good fields are kept when others are wrong (and every problem is
   * reported). Keys not in `shape` (nor in `extraKeys`) are unknown fields.
   */
  private fields(obj: Record<string, unknown>, shape: Record<string, z.ZodType>, prefix: DocPath, extraKeys: readonly string[] = []): Record<string, unknown> {
    const allowed = [...extraKeys, ...Object.keys(shape)];
    const topLevel = prefix.length === 0;
    for (const key of Object.keys(obj))
      // Top-level `x-…` keys are free (docker-compose style), a place for YAML anchors: `x-envoy: &envoy {...}`.
      if (!allowed.includes(key) && !(topLevel && key.startsWith('x-'))) {
        const hint = closest(key, allowed);
        this.problem(
          [...prefix, key],
          key.toLowerCase() === 'targets' && allowed.includes('idleTimeout')
            ? "unknown field: a load balancer's targets are the topology's top-level `instances`"
            : key === 'params'
              ? 'unknown field: parameters go directly on the tier (`limit: 15`, not `params: {limit: 15}`)'
              : `unknown field${hint ? `; did you mean '${hint}'?` : `; allowed here: ${allowed.join(', ')}${topLevel ? ' (and x-… keys, for YAML anchors)' : ''}`}`,
        );
      }
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
      if (!has(obj, key)) continue;
      const r = schema.safeParse(obj[key], { reportInput: true, error: fallbackMessages });
      if (r.success) out[key] = r.data;
      else this.zodProblems(r.error.issues, [...prefix, key], (p) => keysAt(schema, p));
    }
    return out;
  }

  private fail(): never {
    const order = (p: FileProblem) => (p.source === this.source ? 0 : 1) * 1e9 + (p.line ?? 1e8) * 1000 + (p.col ?? 0);
    const sorted = this.problems.map((p, i) => ({ p, i })).sort((a, b) => order(a.p) - order(b.p) || a.i - b.i);
    throw new TopologyFileError(this.source, sorted.map((x) => x.p));
  }

  load(): Topology {
    this.parsed = parseText(this.text, this.options.format ?? formatOf(this.source), (p) => this.problems.push({ source: this.source, ...p }));
    if (!this.parsed) this.fail();
    const data = this.parsed.data;
    if (!isRecord(data)) {
      this.problem(
        [],
        `expected a mapping of topology fields (tiers, instances, bounds, …), found ${data === null || data === undefined ? 'an empty document' : Array.isArray(data) ? 'a list' : `a ${typeof data}`}`,
      );
      this.fail();
    }
    const doc = this.fields(data, documentFields as unknown as Record<string, z.ZodType>, [], ['tiers']) as {
      name?: string;
      description?: string;
      extends?: string;
      instances?: number;
      instanceParticipant?: string;
      latency?: [number, number];
      bounds?: { clients?: number; requests?: number };
      healthCheck?: Partial<HealthCheck> | null;
      flowBound?: number;
      mitigation?: Mitigation;
    };
    const base = has(data, 'extends') && doc.extends !== undefined ? this.base(doc.extends) : null;
    const instances = doc.instances ?? base?.instances ?? topLevelDefaults.instances;

    // The tiers: a list is the whole pipeline; a mapping overrides the base's tiers by name.
    let tiers: (TierSpec | null)[] = [];
    /** Where each tier came from, for shape problems: its path in this file, or null when inherited untouched. */
    let tierPaths: (DocPath | null)[] = [];
    const rawTiers = data.tiers;
    if (!has(data, 'tiers')) {
      if (!has(data, 'extends')) this.problem(['tiers'], 'missing: expected the list of tiers, the client first (or `extends` a shipped topology)');
      else if (base) [tiers, tierPaths] = [base.tiers.map((t) => structuredClone(t)), base.tiers.map(() => null)];
    } else if (Array.isArray(rawTiers)) {
      if (rawTiers.length > 32) this.problem(['tiers'], `expected at most 32 tiers, found ${rawTiers.length}`);
      else {
        for (const [i, raw] of rawTiers.entries()) {
          const prev = tiers[i - 1];
          tiers.push(this.tier(raw, i, prev ? passesThrough(prev) : false));
          tierPaths.push(['tiers', i]);
        }
      }
    } else if (isRecord(rawTiers)) {
      if (!has(data, 'extends'))
        this.problem(['tiers'], 'a mapping of tier overrides needs `extends` (the topology whose tiers it overrides); without it, list the tiers in order');
      else if (base) [tiers, tierPaths] = this.overrides(rawTiers, base);
    } else {
      this.problem(['tiers'], `expected a list of tiers (or, with \`extends\`, a mapping of overrides by tier name), found ${describe(rawTiers)}`);
    }

    const name = doc.name ?? defaultNameFor(this.source);
    const topology: Topology = {
      name,
      description: doc.description ?? (base ? `'${base.name}' with the overrides in ${basename(this.source)}` : `the pipeline in ${basename(this.source)}`),
      // Parameters the topology decides (a load balancer's targets are its instances).
      tiers: tiers.map((t) => (t ? settled(t, instances) : t)) as TierSpec[],
      instances,
      instanceParticipant: doc.instanceParticipant ?? base?.instanceParticipant ?? topLevelDefaults.instanceParticipant,
      latency: doc.latency ?? (base ? [...base.latency] : [...topLevelDefaults.latency]),
      bounds: {
        clients: doc.bounds?.clients ?? base?.bounds.clients ?? topLevelDefaults.bounds.clients,
        requests: doc.bounds?.requests ?? base?.bounds.requests ?? topLevelDefaults.bounds.requests,
      },
    };
    const healthCheck = this.healthCheck(data, doc.healthCheck, base);
    if (healthCheck) topology.healthCheck = healthCheck;
    const flowBound = doc.flowBound ?? base?.flowBound;
    if (flowBound !== undefined) topology.flowBound = flowBound;
    // A mitigation's description of its change is its own: a file extending it is another change.
    if (doc.mitigation) topology.mitigation = doc.mitigation;

    // The pipeline's shape (models/system.ts), as soon as every tier's kind and name are known, even if some parameters are wrong.
    if ((tiers.length > 0 || Array.isArray(rawTiers)) && tiers.every((t) => t !== null)) this.shape(topology, tierPaths);

    if (this.problems.length === 0) {
      const shipped = Object.hasOwn(topologies, name) ? topologies[name] : undefined;
      if (shipped && stableStringify(shipped) !== stableStringify(topology))
        this.problem(
          has(data, 'name') ? ['name'] : [],
          `'${name}' is a shipped topology and this file differs from it (${firstDifference(shipped, topology)}); give yours its own name (name: my-${name}), so that reports and replays never confuse the two`,
        );
    }
    if (this.problems.length === 0) {
      // Anything else the model refuses (models/system.ts composes every topology it runs): the loader refuses too.
      try {
        composeSystem(topology, topology.bounds);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        const msg = e.message.replace(/^topology '[^']*': /, '');
        const field = /^healthCheck\.(\w+)/.exec(msg);
        this.problem(field ? ['healthCheck', field[1]!] : msg.startsWith('healthCheck') ? ['healthCheck'] : [], msg);
      }
    }
    if (this.problems.length > 0) this.fail();
    return topology;
  }

  /** The health checker: the file's fields over the base's (or, with no base checker, over the preset's); null removes it. */
  private healthCheck(data: Record<string, unknown>, given: Partial<HealthCheck> | null | undefined, base: Topology | null): HealthCheck | undefined {
    if (!has(data, 'healthCheck')) return base?.healthCheck ? { ...base.healthCheck } : undefined;
    if (given === null || given === undefined) return undefined;
    const from = base?.healthCheck ?? healthCheckPreset;
    if (!base?.healthCheck && given.entersAt === undefined && isRecord(data.healthCheck) && !has(data.healthCheck, 'entersAt'))
      this.problem(['healthCheck'], 'missing entersAt: the tier the health check enters directly (the seed: nginx)');
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(from) as (keyof HealthCheck)[]) out[k] = given[k] ?? from[k];
    return out as unknown as HealthCheck;
  }

  /** The topology named by `extends`: a shipped one, or another file (relative to this one). */
  private base(ext: string): Topology | null {
    if (Object.hasOwn(topologies, ext)) return topologies[ext]!;
    const shipped = Object.keys(topologies);
    if (!isTopologyPath(ext)) {
      this.problem(
        ['extends'],
        `unknown topology '${ext}'; expected a shipped topology (${shipped.join(', ')}) or a file ending .yaml, .yml or .json${didYouMean(ext, shipped)}`,
      );
      return null;
    }
    if (!/\.(ya?ml|json)$/i.test(ext)) {
      this.problem(['extends'], `expected a topology file ending .yaml, .yml or .json, found '${ext}'`);
      return null;
    }
    const chain = this.options.chain ?? [];
    const here = resolvePath(this.options.baseDir ?? dirname(this.source));
    const target = resolvePath(here, ext);
    const self = resolvePath(this.options.baseDir ?? dirname(this.source), basename(this.source));
    if (target === self || chain.includes(target)) {
      this.problem(['extends'], `'${ext}' extends itself (a cycle: ${[...chain, self, target].map((p) => basename(p)).join(' -> ')})`);
      return null;
    }
    if (chain.length + 1 >= MAX_EXTENDS_DEPTH) {
      this.problem(['extends'], `extends chains at most ${MAX_EXTENDS_DEPTH} files deep`);
      return null;
    }
    // Messages name the base as the user would: relative to the extending file's path as given.
    const shown = this.options.baseDir === undefined ? join(dirname(this.source), ext) : target;
    try {
      return loadTopologyFile(shown, { chain: [...chain, self] });
    } catch (e) {
      if (e instanceof TopologyFileError) {
        this.problem(['extends'], `the base file '${shown}' has ${e.problems.length === 1 ? 'a problem' : `${e.problems.length} problems`} (below)`);
        this.problems.push(...e.problems);
      } else if (e instanceof InputError) this.problem(['extends'], e.message);
      else throw e;
      return null;
    }
  }

  /** One entry of a `tiers` list. Null when its kind (or preset) is unknown, so its place in the pipeline cannot be checked. */
  private tier(raw: unknown, i: number, afterLoadBalancer: boolean): TierSpec | null {
    const path = ['tiers', i];
    if (!isRecord(raw)) {
      this.problem(path, `expected a tier: a mapping with a kind (${fileKindNames().join(', ')}) or a preset (${presetNames.join(', ')}), found ${describe(raw)}`);
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
        this.problem(
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
        this.problem([...path, 'preset'], `expected one of: ${presetNames.join(', ')}, found ${describe(p)}${didYouMean(p, presetNames)}`);
      }
    }
    if (preset && kind && descriptorForFile(kind).kind !== preset.kind) {
      this.problem([...path, 'kind'], `preset '${preset.name}' is a ${fileKindOf(preset.kind)}, but kind says '${kind}'; drop one of them`);
      return null;
    }
    if (!kindOk) return null;
    const fileKind = kind ?? (preset ? fileKindOf(preset.kind) : undefined);
    if (!fileKind) {
      this.problem(path, `missing kind: expected \`kind\` (${fileKindNames().join(', ')}) or \`preset\` (${presetNames.join(', ')})`);
      return null;
    }
    const descriptor = descriptorForFile(fileKind);
    const f = this.fields(raw, { ...tierCommonShape, ...paramShape(fileKind) } as Record<string, z.ZodType>, path, ['kind', 'preset']);
    // Default name: the preset's, else the kind's (`client`, `server`); a second tier of a kind needs a name of its own.
    const name = (f.name as string | undefined) ?? preset?.name ?? (has(raw, 'name') ? `unnamed${i}` : fileKind);
    const defaults = descriptor.params;
    // A required field that is only misspelt is reported once, as the unknown field with its correction.
    const misspelt = (r: string) => Object.keys(raw).some((k) => !has(f, k) && k !== 'kind' && k !== 'preset' && closest(k, [r]) === r);
    if (!preset)
      for (const r of defaults.required)
        if (!has(raw, r) && !misspelt(r))
          this.problem(
            path,
            `missing ${r}: a ${fileKind} without a preset needs one${choices(paramShape(fileKind)[r])}, or start from a preset: ${presetNamesOf(fileKind).join(', ')}`,
          );
    const about = (f.about as string | undefined) ?? preset?.about;
    if (preset && f.perInstance === undefined) this.presetPerInstance.set(i, preset.name);
    return {
      name,
      kind: descriptor.kind,
      perInstance: (f.perInstance as boolean | undefined) ?? preset?.perInstance ?? afterLoadBalancer,
      participant: (f.participant as string | undefined) ?? preset?.participant ?? name,
      params: withOverrides(preset?.params ?? defaults.defaults, f, fileKind),
      ...(about !== undefined ? { about } : {}),
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
        this.problem(
          path,
          `no tier named '${name}' in '${base.name}'${didYouMean(name, names) || `; its tiers: ${names.join(', ')}`} (overrides are matched by tier name; to add or remove tiers, list the whole pipeline under tiers)`,
        );
        continue;
      }
      if (!isRecord(entry)) {
        this.problem(path, `expected a mapping of the fields to override, found ${describe(entry)}`);
        continue;
      }
      const t = tiers[j]!;
      const fileKind = fileKindOf(t.kind);
      if (has(entry, 'kind') && entry.kind !== fileKind)
        this.problem([...path, 'kind'], `'${name}' is a ${fileKind} in '${base.name}' and an override cannot change its kind, found ${describe(entry.kind)}; to change the pipeline, list every tier under tiers`);
      if (has(entry, 'preset'))
        this.problem([...path, 'preset'], `an override cannot start from a preset; to replace '${name}', list every tier under tiers`);
      if (has(entry, 'name')) this.problem([...path, 'name'], `overrides are matched by the key ('${name}'); a tier cannot be renamed in an override`);
      const { name: _n, ...common } = tierCommonShape;
      const f = this.fields(entry, { ...common, ...paramShape(fileKind) } as Record<string, z.ZodType>, path, ['kind', 'preset', 'name']);
      const about = (f.about as string | undefined) ?? (t as { about?: string }).about;
      tiers[j] = {
        name: t.name,
        kind: t.kind,
        perInstance: (f.perInstance as boolean | undefined) ?? t.perInstance,
        participant: (f.participant as string | undefined) ?? t.participant,
        params: withOverrides(t.params, f, fileKind),
        ...(about !== undefined ? { about } : {}),
      } as TierSpec;
      paths[j] = path;
    }
    return [tiers, paths];
  }

  /** The shape checks of models/system.ts, reported at the file's paths (skipping paths already reported). */
  private shape(topology: Topology, tierPaths: readonly (DocPath | null)[]) {
    const reported = new Set(this.problems.map((p) => JSON.stringify(p.path)));
    for (const sp of topologyShapeProblems(topology)) {
      let path: DocPath;
      // The file's words for kinds, not the machines'.
      let message = inFileWords(sp.message);
      if (sp.tier === null) path = sp.field ? [sp.field] : [];
      else {
        const t = topology.tiers[sp.tier]!;
        // A tier whose name is missing was reported already; its placeholder name is not worth a second message.
        if (/^unnamed\d+$/.test(t.name) && sp.field === 'name') continue;
        const tp = tierPaths[sp.tier];
        if (tp === undefined || tp === null) {
          path = ['tiers'];
          message = `tiers[${sp.tier}] ('${t.name}', inherited from the base): ${message}`;
        } else {
          path = sp.field ? [...tp, sp.field] : tp;
          if (typeof tp[1] === 'number') message = `tier '${t.name}': ${message}`;
          const preset = this.presetPerInstance.get(sp.tier);
          if (sp.field === 'perInstance' && preset !== undefined && typeof tp[1] === 'number')
            message += ` (perInstance: ${t.perInstance} comes from preset '${preset}'; write perInstance: ${!t.perInstance} to change it)`;
        }
      }
      if (reported.has(JSON.stringify(path))) continue;
      this.problem(path, message);
    }
  }
}

/** `params` with the fields of `f` that are parameters replacing theirs, in the params' own key order. */
function withOverrides<P extends object>(params: P, f: Record<string, unknown>, fileKind: string): P {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) out[k] = has(f, k) ? f[k] : Array.isArray(v) ? [...v] : v;
  // Optional parameters (a fleet's `spread`) come after the others, as `withParams` puts them.
  for (const k of Object.keys(paramShape(fileKind))) if (has(f, k) && !has(out, k)) out[k] = f[k];
  return out as P;
}

/** A tier with the parameters its topology decides filled in (the machine's `settle`: a load balancer's targets). */
function settled(t: TierSpec, instances: number): TierSpec {
  const settle = machineDescriptors().find((d) => d.kind === t.kind)?.settle;
  return settle ? ({ ...t, params: settle(t.params, { instances }) } as TierSpec) : t;
}

/** A message in the file's words: machine kinds (`l7Proxy`) become file kinds (`proxy`). */
function inFileWords(message: string): string {
  let out = message;
  for (const d of machineDescriptors()) if (d.kind !== d.fileKind) out = out.replace(new RegExp(`\\b${d.kind}\\b`, 'g'), d.fileKind);
  return out;
}

/** The allowed values of an enum field, for a message: ` (pinned, pooled, fleet or perRequest)`; empty for other fields. */
function choices(schema: z.ZodType | undefined): string {
  const options = (schema as { options?: unknown } | undefined)?.options;
  if (!Array.isArray(options) || options.length === 0) return '';
  return ` (${options.length === 1 ? options[0] : `${options.slice(0, -1).join(', ')} or ${options.at(-1)}`})`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : `a ${typeof v}`;
}

/** The keys a zod object schema allows at `path` inside `schema` (for "did you mean"). */
function keysAt(schema: z.ZodType, path: DocPath): readonly string[] {
  let s: unknown = schema;
  const unwrap = () => {
    for (let n = 0; n < 8; n++) {
      const def = (s as { def?: { type?: string; innerType?: unknown } }).def;
      if (def && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) s = def.innerType;
      else break;
    }
  };
  unwrap();
  for (const seg of path) {
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (!shape || typeof seg !== 'string' || !Object.hasOwn(shape, seg)) return [];
    s = shape[seg];
    unwrap();
  }
  const shape = (s as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Where two topologies first differ, as a path: `tiers[5].params.downstreamIdleTimeout`. */
function firstDifference(a: unknown, b: unknown, path = ''): string {
  if (stableStringify(a) === stableStringify(b)) return '';
  if (isRecord(a) && isRecord(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  return `${path || 'the whole'} differs`;
}
