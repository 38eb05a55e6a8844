import { formatDuration } from '../../models/params/duration.js';
import type { Property } from '../explore/property.js';
import { isFailure, verdictText } from '../explore/verdict.js';
import { currentValue, provenanceOf } from './params.js';
import { currentOf, rangesOf, type Setting, type SweepRange, type SweepResult } from './sweep.js';

/** How reports refer to the swept topology and its properties. */
export interface SweepReportInput {
  result: SweepResult;
  properties: readonly Property[];
  /** The `--topology` argument that names it (a shipped name or a file), for the commands that reproduce a counterexample. */
  topologyArg: string;
}

const name = (l: { tier: string; param: string }) => `${l.tier}.${l.param}`;

/** A value as `--param` takes it back: `20s`, `never`, `'[5s, 30s]'`, `pooled`. */
function valueArg(value: unknown): string {
  if (value === null) return 'never';
  if (Array.isArray(value)) return `'[${value.map((v) => formatDuration(v as number)).join(', ')}]'`;
  return typeof value === 'number' && value >= 1000 && value % 1000 === 0 ? formatDuration(value) : String(value);
}

/** The command that reproduces a point's counterexample, with its parameters set. */
export function reproduceCommand(input: SweepReportInput, settings: readonly Setting[], property: string): string {
  const params = settings.map((s) => `--param ${s.tier}.${s.param}=${valueArg(s.value)}`).join(' ');
  return `connmodel check --topology ${input.topologyArg} ${params} --property ${property} --runs ${input.result.runs} --seed ${input.result.seed}`;
}

/** `20s..never`; values without an order (choices, flags) listed: `pinned, pooled`. */
const rangeText = (r: SweepRange) => (!r.ordered || r.labels.length <= 2 ? r.labels.join(', ') : `${r.from}..${r.to}`);

/** The verdict at the topology's own values: a point that only restates them, if the sweep has one. */
function ownVerdict(result: SweepResult, k: number): string {
  const own = (s: Setting) => JSON.stringify(s.value) === JSON.stringify(currentValue(result.topology, s.tier, s.param));
  const i = result.points.findIndex((settings) => settings.every(own));
  if (i < 0) return '—';
  const c = result.cells[i]![k]!;
  return verdictText(c.verdict, c.runs);
}

/** Per property, per line: its ranges; each failing range with its counterexample and the command that reproduces it. */
export function sweepText(input: SweepReportInput): string {
  const { result, properties } = input;
  const lines: string[] = [
    `connmodel sweep: topology '${result.topology.name}' — ${result.topology.description}`,
    `${result.mode === 'each' ? 'one parameter at a time, the others as the topology has them' : 'every combination of the values'}; ${result.runs} runs per check, seed ${result.seed}`,
    '',
  ];
  properties.forEach((p, k) => {
    lines.push(`${p.name} (on '${result.topology.name}': ${ownVerdict(result, k)})`);
    const steady: string[] = [];
    for (const line of result.lines) {
      const ranges = rangesOf(result, line, k);
      const prov = provenanceOf(result.topology.tiers.find((t) => t.name === line.tier)!, line.param)?.source ?? 'default';
      const head = `${line.fixed.length > 0 ? `with ${line.fixed.map((s) => `${name(s)}=${valueArg(s.value)}`).join(', ')}: ` : ''}${name(line)} (${prov}; '${result.topology.name}' has ${currentOf(result, line)})`;
      if (ranges.length === 1 && result.mode === 'each') {
        steady.push(name(line));
        continue;
      }
      const word = (r: SweepRange) => {
        const c = result.cells[r.points[0]!]![k]!;
        const text = verdictText(r.verdict, c.runs);
        return isFailure(p, r.verdict) ? text.toUpperCase() : text;
      };
      lines.push(`  ${head}: ${ranges.map((r) => `${word(r)} for ${rangeText(r)}`).join('; ')}`);
      for (const r of ranges) {
        if (!isFailure(p, r.verdict)) continue;
        const c = result.cells[r.points[0]!]![k]!;
        if (c.run)
          lines.push(
            `    at ${r.from}: ${c.run.label} with ${c.run.clientConnections} client connection${c.run.clientConnections === 1 ? '' : 's'}, ${c.run.requests} request${c.run.requests === 1 ? '' : 's'}, ${c.run.steps} steps${c.run.facet ? ` at ${c.run.facet}` : ''}: ${c.run.message}`,
            `    reproduce: ${reproduceCommand(input, result.points[r.points[0]!]!, p.name)}`,
          );
      }
    }
    if (steady.length > 0) lines.push(`  the same for every value of: ${steady.join(', ')}`);
    lines.push('');
  });
  return `${lines.join('\n')}\n`;
}

/** The `--json` document. */
export function sweepJson(input: SweepReportInput): unknown {
  const { result, properties } = input;
  return {
    topology: result.topology.name,
    mode: result.mode,
    runs: result.runs,
    seed: result.seed,
    params: result.params.map((p) => ({ tier: p.tier, param: p.param, values: p.values })),
    results: properties.map((p, k) => ({
      property: p.name,
      lines: result.lines.map((line) => ({
        param: name(line),
        fixed: line.fixed.map((s) => ({ param: name(s), value: s.value })),
        current: currentOf(result, line),
        ranges: rangesOf(result, line, k).map((r) => {
          const c = result.cells[r.points[0]!]![k]!;
          return {
            verdict: r.verdict,
            from: r.from,
            to: r.to,
            values: r.points.map((i) => result.points[i]!.find((s) => s.tier === line.tier && s.param === line.param)!.value),
            ...(c.reason !== undefined ? { reason: c.reason } : {}),
            ...(isFailure(p, r.verdict) && c.run ? { [c.run.label]: c.run, reproduce: reproduceCommand(input, result.points[r.points[0]!]!, p.name) } : {}),
          };
        }),
      })),
    })),
  };
}

/**
 * The Markdown table docs/properties.md carries: for each property, its
 * verdict on the topology and, for each swept parameter that changes it,
 * where it holds and where it fails; the parameters that change nothing
 * after it.
 */
export function sweepMarkdown(input: SweepReportInput, command: string): string {
  const { result, properties } = input;
  const out: string[] = [
    `Generated by \`${command}\`: ${result.mode === 'each' ? 'each parameter varied alone, the others as the topology has them' : 'every combination'}, ${result.runs} runs per check, seed ${result.seed}. Do not edit by hand: regenerate it.`,
    '',
    `| property | on \`${result.topology.name}\` | parameter (its value) | holds, or no witness, for | fails for |`,
    '|---|---|---|---|---|',
  ];
  properties.forEach((p, k) => {
    const own = ownVerdict(result, k);
    let first = true;
    for (const line of result.lines) {
      const ranges = rangesOf(result, line, k);
      if (ranges.length === 1) continue;
      const list = (fail: boolean) =>
        ranges
          .filter((r) => isFailure(p, r.verdict) === fail)
          .map((r) => `${rangeText(r)}${r.verdict === 'not applicable' ? ' (n/a)' : ''}`)
          .join(', ') || '—';
      out.push(`| ${first ? p.name : ''} | ${first ? own : ''} | \`${name(line)}\` (${currentOf(result, line)}) | ${list(false)} | ${list(true)} |`);
      first = false;
    }
    if (first) out.push(`| ${p.name} | ${own} | none changes it | | |`);
  });
  out.push('', `Every parameter swept: ${result.params.map((x) => `\`${name(x)}\``).join(', ')}.`);
  return `${out.join('\n')}\n`;
}
