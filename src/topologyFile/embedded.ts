import { machineDescriptors } from '../../models/machines/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { stableStringify } from '../kernel/hash.js';
import { topologyFromData } from './load.js';
import { has, isRecord } from './problemList.js';
import { describeFound as describe, TopologyFileError, type DocPath, type FileProblem } from './problems.js';
import { tierCommonShape } from './schema.js';

/**
 * The topology a trace carries is a Topology object (models/topologies), not a
 * topology file: machine kinds (`l7Proxy`), parameters under `params`, every
 * field present. It is checked by the topology-file loader all the same (same
 * fields, same bounds, the model's own checks): turned into the file's form,
 * loaded, and the result must be that very topology.
 */

/** The fields of a Topology, the first seven always present. */
const REQUIRED = ['name', 'description', 'tiers', 'instances', 'instanceParticipant', 'latency', 'bounds'] as const;
const OPTIONAL = ['healthCheck', 'flowBound', 'mitigation'] as const;
const TIER_FIELDS = ['name', 'kind', 'perInstance', 'participant', 'params', 'about', 'sources'] as const;

export interface EmbeddedTopology {
  topology: Topology | null;
  problems: FileProblem[];
}

/**
 * Validates `data`, the topology inside the file `source` at `prefix`
 * (`['topology']`), as topology files are validated. Problems name their path
 * in that file (`topology.tiers[3].params.limit`).
 */
export function embeddedTopology(data: unknown, source: string, prefix: DocPath): EmbeddedTopology {
  const problems: FileProblem[] = [];
  const problem = (path: DocPath, message: string) => problems.push({ source, path: [...prefix, ...path], message });
  if (!isRecord(data)) {
    problem([], `expected a topology object (${REQUIRED.join(', ')}), found ${describe(data)}`);
    return { topology: null, problems };
  }
  const allowed: readonly string[] = [...REQUIRED, ...OPTIONAL];
  for (const k of Object.keys(data)) if (!allowed.includes(k)) problem([k], `unknown field; a topology has: ${allowed.join(', ')}`);
  for (const k of REQUIRED) if (!has(data, k)) problem([k], 'missing: a topology in a trace has every field');
  const doc: Record<string, unknown> = {};
  for (const k of allowed) if (has(data, k) && k !== 'tiers') doc[k] = data[k];
  if (Array.isArray(data.tiers)) doc.tiers = data.tiers.map((t, i) => tierDocument(t, i, problem));
  else if (has(data, 'tiers')) problem(['tiers'], `expected a list of tiers, found ${describe(data.tiers)}`);
  if (problems.length > 0) return { topology: null, problems };

  let topology: Topology;
  try {
    topology = topologyFromData(doc, { source, shippedNameMustMatch: false });
  } catch (e) {
    if (!(e instanceof TopologyFileError)) throw e;
    for (const p of e.problems) problems.push({ source, path: [...prefix, ...underParams(p.path)], message: p.message });
    return { topology: null, problems };
  }
  const d = differenceAt(topology, data);
  if (d)
    problem(
      d.path,
      `found ${describe(d.theirs)}, where the topology's other fields give ${describe(d.ours)}; a trace's topology is written whole by connmodel, not edited`,
    );
  return problems.length > 0 ? { topology: null, problems } : { topology, problems };
}

/** One tier as a topology file writes it: its file kind, its parameters flattened onto it. */
function tierDocument(raw: unknown, i: number, problem: (path: DocPath, message: string) => void): unknown {
  if (!isRecord(raw)) return raw; // the loader says what a tier must be
  for (const k of Object.keys(raw)) if (!(TIER_FIELDS as readonly string[]).includes(k)) problem(['tiers', i, k], `unknown field; a tier has: ${TIER_FIELDS.join(', ')}`);
  const descriptor = machineDescriptors().find((d) => d.kind === raw.kind);
  if (!descriptor) {
    problem(['tiers', i, 'kind'], `expected a machine kind (${machineDescriptors().map((d) => d.kind).join(', ')}), found ${describe(raw.kind)}`);
    return null;
  }
  if (!isRecord(raw.params)) {
    problem(['tiers', i, 'params'], `expected a mapping of the tier's parameters, found ${describe(raw.params)}`);
    return null;
  }
  const out: Record<string, unknown> = {};
  for (const k of TIER_FIELDS) if (k !== 'params' && has(raw, k)) out[k] = raw[k];
  out.kind = descriptor.fileKind;
  for (const [k, v] of Object.entries(raw.params)) {
    // Parameters only composing sets (a client's `requests`) are no file field: the comparison checks them.
    if ((descriptor.params.composed as readonly string[]).includes(k)) continue;
    if (has(tierCommonShape, k) || k === 'kind' || k === 'preset') problem(['tiers', i, 'params', k], `unknown parameter of a ${descriptor.kind}`);
    else out[k] = v;
  }
  return out;
}

/** A loader path into the file form (`tiers[3].limit`) as a path into the Topology (`tiers[3].params.limit`). */
function underParams(path: DocPath): DocPath {
  const [first, index, field, ...rest] = path;
  if (first !== 'tiers' || typeof index !== 'number' || typeof field !== 'string' || has(tierCommonShape, field) || field === 'kind' || field === 'preset')
    return path;
  return ['tiers', index, 'params', field, ...rest];
}

/** The first place where `theirs` differs from `ours`, walking `ours`'s fields then `theirs`'s; null when equal. */
function differenceAt(ours: unknown, theirs: unknown, path: (string | number)[] = []): { path: DocPath; ours: unknown; theirs: unknown } | null {
  if (stableStringify(ours) === stableStringify(theirs)) return null;
  if (Array.isArray(ours) && Array.isArray(theirs) && ours.length === theirs.length) {
    for (let i = 0; i < ours.length; i++) {
      const d = differenceAt(ours[i], theirs[i], [...path, i]);
      if (d) return d;
    }
  }
  if (isRecord(ours) && isRecord(theirs)) {
    for (const k of [...new Set([...Object.keys(ours), ...Object.keys(theirs)])]) {
      const d = differenceAt(ours[k], theirs[k], [...path, k]);
      if (d) return d;
    }
  }
  return { path, ours, theirs };
}
