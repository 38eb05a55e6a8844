import { basename, dirname } from 'node:path';
import type { z } from 'zod';
import { InputError } from '../../models/inputError.js';
import { composeSystem } from '../../models/system.js';
import { healthCheck as healthCheckPreset } from '../../models/tiers/index.js';
import { topologies } from '../../models/topologies/index.js';
import type { HealthCheck, Mitigation, TierSpec, Topology } from '../../models/topologies/topology.js';
import { stableStringify } from '../kernel/hash.js';
import { resolveBase } from './base.js';
import { reportShape } from './positions.js';
import { has, isRecord, ProblemList } from './problemList.js';
import type { DocPath } from './problems.js';
import { defaultNameFor, formatOf, readTopologyFile } from './read.js';
import { documentFields } from './schema.js';
import { parseText } from './text.js';
import { settled, TierReader } from './tiers.js';

// Loading is split by job (read.ts, base.ts, tiers.ts, positions.ts, problemList.ts); callers keep importing from here.
export { MAX_EXTENDS_DEPTH } from './base.js';
export { defaultNameFor, isTopologyPath } from './read.js';

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
  /**
   * Refuse a shipped topology's name on a topology that differs from it (default true). Off for
   * the copy inside a trace: it is the shipped one as it was, and replay says when it changed.
   */
  shippedNameMustMatch?: boolean;
}

/**
 * Reads a topology file (YAML or JSON) into a Topology, or throws a
 * TopologyFileError listing every problem found, with its path and line.
 */
export function loadTopologyFile(path: string, options: Partial<LoadOptions> = {}): Topology {
  const text = readTopologyFile(path);
  return parseTopologyText(text, { source: path, format: formatOf(path), baseDir: dirname(path), ...options });
}

/** Parses the text of a topology file. Never throws anything but InputError (a TopologyFileError for problems in the text). */
export function parseTopologyText(text: string, options: LoadOptions): Topology {
  return new Loader(options).fromText(text);
}

/** A topology document already parsed into data (no line numbers in messages), validated as a file's would be. */
export function topologyFromData(data: unknown, options: LoadOptions): Topology {
  return new Loader(options).fromData(data);
}

class Loader {
  private readonly problems: ProblemList;
  private readonly tiers: TierReader;
  private readonly source: string;

  constructor(private readonly options: LoadOptions) {
    this.source = options.source;
    this.problems = new ProblemList(this.source);
    this.tiers = new TierReader(this.problems);
  }

  private problem(path: DocPath, message: string) {
    this.problems.problem(path, message);
  }

  fromText(text: string): Topology {
    const parsed = parseText(text, this.options.format ?? formatOf(this.source), (p) => this.problems.list.push({ source: this.source, ...p }));
    if (!parsed) this.problems.fail();
    this.problems.parsed = parsed;
    return this.fromData(parsed.data);
  }

  fromData(data: unknown): Topology {
    if (!isRecord(data)) {
      this.problem(
        [],
        `expected a mapping of topology fields (tiers, instances, bounds, …), found ${data === null || data === undefined ? 'an empty document' : Array.isArray(data) ? 'a list' : `a ${typeof data}`}`,
      );
      this.problems.fail();
    }
    const doc = this.problems.fields(data, documentFields as unknown as Record<string, z.ZodType>, [], ['tiers']) as {
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
    const base = has(data, 'extends') && doc.extends !== undefined ? resolveBase(doc.extends, this.options, this.problems, loadTopologyFile) : null;
    const instances = doc.instances ?? base?.instances ?? topLevelDefaults.instances;

    const { tiers, paths: tierPaths } = this.tiers.read(data, base);

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
    if ((tiers.length > 0 || Array.isArray(data.tiers)) && tiers.every((t) => t !== null)) reportShape(topology, tierPaths, this.tiers.presetPerInstance, this.problems);

    if (this.problems.list.length === 0 && this.options.shippedNameMustMatch !== false) {
      const shipped = Object.hasOwn(topologies, name) ? topologies[name] : undefined;
      if (shipped && stableStringify(shipped) !== stableStringify(topology))
        this.problem(
          has(data, 'name') ? ['name'] : [],
          `'${name}' is a shipped topology and this file differs from it (${firstDifference(shipped, topology)}); give yours its own name (name: my-${name}), so that reports and replays never confuse the two`,
        );
    }
    if (this.problems.list.length === 0) {
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
    if (this.problems.list.length > 0) this.problems.fail();
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
}

/** Where two topologies first differ, as a path: `tiers[5].params.downstreamIdleTimeout`. */
export function firstDifference(a: unknown, b: unknown, path = ''): string {
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
