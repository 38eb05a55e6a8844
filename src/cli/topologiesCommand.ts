import { InputError } from '../../models/inputError.js';
import { defaultTopology, topologies } from '../../models/topologies/index.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';
import { formatDuration } from '../../models/params/duration.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { descriptorOf } from '../../models/machines/index.js';
import { fileKindOf } from '../topologyFile/schema.js';
import { topologyToDocument, topologyToYaml } from '../topologyFile/serialize.js';
import { parseCommand } from './options.js';
import { Printer } from './output.js';

export const topologiesUsage = 'connmodel topologies [NAME|FILE] [--json]';

/** A tier in a few words, as its machine kind puts them: `gateway [fleet of 20]`, `connQueue [limit 15]`. */
function tierWords(t: TierSpec): string {
  const brief = descriptorOf(t.kind).brief?.(t.params) ?? null;
  return brief === null ? t.name : `${t.name} [${brief}]`;
}

/** The pipeline on one line, per-instance tiers grouped: `… > nlb [L4] > 2x(connQueue [limit 15] > nginx [perRequest]) > database`. */
export function pipelineLine(t: Topology): string {
  const parts: string[] = [];
  let group: string[] = [];
  const flush = () => {
    if (group.length > 0) parts.push(`${t.instances}x(${group.join(' > ')})`);
    group = [];
  };
  for (const tier of t.tiers) {
    if (tier.perInstance) group.push(tierWords(tier));
    else {
      flush();
      parts.push(tierWords(tier));
    }
  }
  flush();
  return parts.join(' > ');
}

/**
 * `connmodel topologies`: the shipped topologies (name, description,
 * pipeline). With a NAME or FILE: that topology in full, as a topology file
 * (every field explicit) — what a file with `extends` resolves to.
 */
export function topologiesCommand(argv: string[], out = new Printer()): number {
  const { values, positionals } = parseCommand({ json: { type: 'boolean' } }, argv, true);
  if (positionals.length > 1) throw new InputError(`expected at most one topology, found ${positionals.length}; usage: ${topologiesUsage}`);
  if (positionals.length === 1) {
    const t = resolveTopology(positionals[0]!);
    if (values.json) out.json(topologyToDocument(t), 2);
    else out.text(topologyToYaml(t));
    return 0;
  }
  const all = Object.values(topologies);
  if (values.json) {
    const rows = all.map((t) => ({
      name: t.name,
      default: t.name === defaultTopology,
      description: t.description,
      instances: t.instances,
      tiers: t.tiers.map((x) => ({ name: x.name, kind: fileKindOf(x.kind), perInstance: x.perInstance })),
      ...(t.mitigation ? { mitigation: t.mitigation } : {}),
    }));
    out.json(rows);
    return 0;
  }
  const lines = ['Shipped topologies (use one with --topology NAME):', ''];
  for (const t of all) {
    lines.push(`${t.name}${t.name === defaultTopology ? ' (the default)' : ''}`, `  ${t.description}`, `  ${pipelineLine(t)}`);
    if (t.healthCheck) lines.push(`  health check into ${t.healthCheck.entersAt} every ${formatDuration(t.healthCheck.interval)}`);
    if (t.mitigation) lines.push(`  mitigation of ${t.mitigation.base}: ${t.mitigation.change}`);
    lines.push('');
  }
  lines.push(
    'Your own pipeline: connmodel init my.yaml (a commented starter), then --topology my.yaml.',
    'One in full, as a file: connmodel topologies NAME (e.g. to start from it).',
  );
  out.text(`${lines.join('\n')}\n`);
  return 0;
}
