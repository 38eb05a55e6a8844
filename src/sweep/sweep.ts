import type { Topology } from '../../models/topologies/topology.js';
import { stableStringify } from '../kernel/hash.js';
import type { Property, Verdict } from '../explore/property.js';
import { isFailure } from '../explore/verdict.js';
import { runSweepJobs, type JobRunner, type SweepCell, type SweepJob } from './jobs.js';
import { currentValue, formatValue, isOrdered, withParam, type SweptParam } from './params.js';

/**
 * A sweep: properties rechecked across values of tier parameters. `grid`
 * tries every combination of the parameters' values; `each` (what
 * `--assumptions` does) varies one parameter at a time, the others as the
 * topology has them. Along each parameter it reports ranges of values with
 * one verdict, and for each failing range a counterexample (the simplest, of
 * the range's first value).
 */

export type SweepMode = 'grid' | 'each';

export interface Setting {
  tier: string;
  param: string;
  value: unknown;
}

/** Values along one parameter with the others fixed: where ranges are read. */
export interface SweepLine {
  /** The parameter varied. */
  tier: string;
  param: string;
  /** The other parameters' settings on this line (grid), or none (each). */
  fixed: Setting[];
  /** Point indices, in the parameter's value order. */
  points: number[];
}

/** Consecutive values of a line with one verdict. */
export interface SweepRange {
  verdict: Verdict;
  /** Labels of the first and last value (the same for a range of one). */
  from: string;
  to: string;
  /** Labels of every value, for parameters whose values have no order (choices, flags). */
  labels: string[];
  ordered: boolean;
  /** Point indices of the range; the first is the one whose counterexample is shown. */
  points: number[];
}

export interface SweepResult {
  topology: Topology;
  mode: SweepMode;
  params: SweptParam[];
  properties: string[];
  /** Each point: the settings it changes from the topology. */
  points: Setting[][];
  lines: SweepLine[];
  /** cells[point][property]. */
  cells: SweepCell[][];
  runs: number;
  seed: number;
}

export interface SweepOptions extends JobRunner {
  runs: number;
  seed: number;
  mode: SweepMode;
}

function plan(params: readonly SweptParam[], mode: SweepMode): { points: Setting[][]; lines: SweepLine[] } {
  const points: Setting[][] = [];
  const lines: SweepLine[] = [];
  if (mode === 'each') {
    for (const p of params) {
      const line: SweepLine = { tier: p.tier, param: p.param, fixed: [], points: [] };
      for (const value of p.values) {
        line.points.push(points.length);
        points.push([{ tier: p.tier, param: p.param, value }]);
      }
      lines.push(line);
    }
    return { points, lines };
  }
  // Every combination; a line per combination of all but the last parameter.
  const last = params[params.length - 1]!;
  const combos = params.slice(0, -1).reduce<Setting[][]>((acc, p) => acc.flatMap((c) => p.values.map((value) => [...c, { tier: p.tier, param: p.param, value }])), [[]]);
  for (const fixed of combos) {
    const line: SweepLine = { tier: last.tier, param: last.param, fixed, points: [] };
    for (const value of last.values) {
      line.points.push(points.length);
      points.push([...fixed, { tier: last.tier, param: last.param, value }]);
    }
    lines.push(line);
  }
  return { points, lines };
}

/** What a check's result depends on: everything but names, descriptions and provenance. */
function behaviourKey(t: Topology): string {
  return stableStringify({ ...t, name: '', description: '', tiers: t.tiers.map(({ sources: _, participant: __, ...rest }) => rest) });
}

/** The topology of a point. */
export function topologyAt(topology: Topology, settings: readonly Setting[]): Topology {
  return settings.reduce((t, s) => withParam(t, s.tier, s.param, s.value), topology);
}

/** A line's ranges for one property: maximal runs of consecutive values with the same verdict. */
export function rangesOf(result: SweepResult, line: SweepLine, propertyIndex: number): SweepRange[] {
  const ranges: SweepRange[] = [];
  const label = (i: number) => {
    const s = result.points[i]!.find((x) => x.tier === line.tier && x.param === line.param)!;
    return formatValue(result.topology, s.tier, s.param, s.value);
  };
  const ordered = isOrdered(result.topology, line.tier, line.param);
  for (const i of line.points) {
    const v = result.cells[i]![propertyIndex]!.verdict;
    const open = ranges[ranges.length - 1];
    if (open && open.verdict === v) {
      open.points.push(i);
      open.to = label(i);
      open.labels.push(label(i));
    } else ranges.push({ verdict: v, from: label(i), to: label(i), labels: [label(i)], ordered, points: [i] });
  }
  return ranges;
}

/** Sweeps `properties` over `params` on `topology`. */
export async function sweep(
  topology: Topology,
  properties: readonly Property[],
  params: readonly SweptParam[],
  options: SweepOptions,
): Promise<SweepResult> {
  if (params.length === 0) throw new Error('sweep: no parameters to sweep');
  const { points, lines } = plan(params, options.mode);
  const byName = new Map(properties.map((p) => [p.name, p]));
  const propertyNamed = (name: string) => byName.get(name)!;
  /** Runs the checks of `wanted` ([point, property] pairs), each distinct one once; their cells, in order. */
  const run = async (wanted: [number, number][], minimize: boolean): Promise<SweepCell[]> => {
    const jobs: SweepJob[] = [];
    const slot = new Map<string, number>();
    const of = wanted.map(([point, k]) => {
      const t = topologyAt(topology, points[point]!);
      // A point that only restates a value (every `each` line passes the topology's own) is the same check.
      const key = `${properties[k]!.name} ${behaviourKey(t)}`;
      if (!slot.has(key)) {
        slot.set(key, jobs.length);
        jobs.push({ index: jobs.length, topology: t, property: properties[k]!.name, runs: options.runs, seed: options.seed, minimize });
      }
      return slot.get(key)!;
    });
    const done = await runSweepJobs(jobs, propertyNamed, options);
    return of.map((j) => done[j]!);
  };
  // First every verdict, as found (no minimising: most cells are not shown)...
  const all = points.flatMap((_, i) => properties.map((__, k): [number, number] => [i, k]));
  const flat = await run(all, false);
  const cells = points.map((_, i) => flat.slice(i * properties.length, (i + 1) * properties.length));
  const result: SweepResult = { topology, mode: options.mode, params: [...params], properties: properties.map((p) => p.name), points, lines, cells, runs: options.runs, seed: options.seed };
  // ...then the simplest counterexample of each failing range, at its first value.
  const shown: [number, number][] = [];
  for (const line of lines)
    properties.forEach((p, k) => {
      for (const r of rangesOf(result, line, k))
        if (isFailure(p, r.verdict) && !shown.some(([i, j]) => i === r.points[0] && j === k)) shown.push([r.points[0]!, k]);
    });
  const minimized = await run(shown, true);
  shown.forEach(([i, k], n) => (cells[i]![k] = minimized[n]!));
  return result;
}

/** The value a line's parameter has on the topology itself (marked in reports). */
export function currentOf(result: SweepResult, line: SweepLine): string {
  return formatValue(result.topology, line.tier, line.param, currentValue(result.topology, line.tier, line.param));
}
