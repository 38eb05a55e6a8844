import { Document, isSeq, visit } from 'yaml';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';
import { formatDuration } from '../../models/params/duration.js';
import { unitOf } from '../../models/params/fields.js';
import { CHOSEN } from '../../models/tiers/index.js';
import { fileKindOf, paramShape } from './schema.js';

const has = (o: object, k: string) => Object.hasOwn(o, k);

/** Top-level and health-check fields that are durations or windows of them; a tier's parameters say so in their schemas. */
const topLevelUnits: Record<string, 'duration' | 'window'> = { latency: 'window', interval: 'duration', timeout: 'duration' };

function fileValue(unit: 'duration' | 'window' | undefined, v: unknown): unknown {
  if (unit === 'duration' && typeof v === 'number') return formatDuration(v);
  if (unit === 'window' && Array.isArray(v)) return v.map((x) => (typeof x === 'number' ? formatDuration(x) : x));
  return v;
}

function tierDocument(t: TierSpec): Record<string, unknown> {
  const kind = fileKindOf(t.kind);
  const out: Record<string, unknown> = { name: t.name, kind, perInstance: t.perInstance, participant: t.participant };
  // Only what a file can say: a client's `requests` is the check's bound, a load balancer's `targets` the topology's instances.
  for (const [key, schema] of Object.entries(paramShape(kind))) {
    const v = (t.params as unknown as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = fileValue(unitOf(schema), v);
  }
  const about = (t as { about?: unknown }).about;
  if (typeof about === 'string') out.about = about;
  // Provenance other than "the topology chose it" (what a file's own setting means anyway).
  const sources = Object.entries(t.sources ?? {}).filter(([k, p]) => has(paramShape(kind), k) && !(p!.source === CHOSEN.source && p!.ref === CHOSEN.ref));
  if (sources.length > 0) out.sources = Object.fromEntries(sources.map(([k, p]) => [k, { source: p!.source, ref: p!.ref }]));
  return out;
}

/**
 * A topology as a topology-file document: every field explicit, no presets,
 * durations with units. Loading it gives the same topology back (tested).
 */
export function topologyToDocument(t: Topology): Record<string, unknown> {
  const doc: Record<string, unknown> = { version: 1, name: t.name, description: t.description };
  if (t.mitigation) doc.mitigation = { ...t.mitigation };
  doc.instances = t.instances;
  doc.instanceParticipant = t.instanceParticipant;
  doc.latency = fileValue(topLevelUnits.latency, [...t.latency]);
  doc.bounds = { ...t.bounds };
  if (t.flowBound !== undefined) doc.flowBound = t.flowBound;
  if (t.healthCheck) doc.healthCheck = Object.fromEntries(Object.entries(t.healthCheck).map(([k, v]) => [k, fileValue(topLevelUnits[k], v)]));
  doc.tiers = t.tiers.map(tierDocument);
  return doc;
}

/** The document as YAML: small lists inline (`latency: [1ms, 20ms]`), a schema line for editors when given. */
export function topologyToYaml(t: Topology, schemaRef?: string): string {
  const doc = new Document(topologyToDocument(t));
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((i) => !(typeof i === 'object' && i !== null && 'items' in i))) node.flow = true;
    },
  });
  const head = schemaRef ? `# yaml-language-server: $schema=${schemaRef}\n` : '';
  return head + doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
