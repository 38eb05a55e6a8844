import { join } from 'node:path';
import type { Topology } from '../../models/topologies/topology.js';
import { traceDiagramTexts } from '../diagrams/traceDiagrams.js';
import { check, DEFAULT_CHECK_OPTIONS, notApplicableResult, type CheckResult, type Counterexample } from '../explore/check.js';
import { exhaustiveBounds, exhaustiveCheck } from '../explore/exhaustive/index.js';
import type { Property, Verdict } from '../explore/property.js';
import { isHealthy } from '../explore/verdict.js';
import { coverageOf, mergeExercised, type MachineCoverage } from '../explore/coverage.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { OutputError } from '../io/errors.js';
import { removeStaleFiles } from '../io/staleFiles.js';
import { counterexampleTrace } from '../trace/counterexample.js';
import { traceToJson, type TraceFile } from '../trace/file.js';
import { isTraceOutput, topologyDirectory } from '../trace/outputNames.js';

/**
 * The verdict matrix: every property on every topology, each violated cell's
 * trace and sequence diagram written beside it, and what properties measure.
 */

/** Fewer schedules than `check` by default: the matrix runs every property on every topology. */
export const MATRIX_RUNS = 200;
/** States per cell under --exhaustive: the matrix runs many searches. */
export const MATRIX_MAX_STATES = 20_000;
/** Schedules behind each property's measure (on top of its deepest default run). */
export const MEASURE_RUNS = 50;

export interface MatrixCell {
  topology: string;
  property: string;
  verdict: Verdict;
  /** Whether this verdict is the one a healthy pipeline gets (health-blind-spot: no witness); null when undecided or not applicable. */
  healthy: boolean | null;
  result: CheckResult;
  /** The run behind the verdict: a counterexample, or for a `sometimes` property that holds, its witness. */
  run?: Counterexample;
  /** Where that run's trace was written, and its sequence diagram (Mermaid) beside it. */
  trace?: string;
  diagram?: string;
  ms: number;
}

export interface Matrix {
  exhaustive?: { maxStates: number } | null;
  runs: number;
  seed: number;
  command: string;
  topologies: Topology[];
  properties: Property[];
  cells: MatrixCell[];
  /** Per property that measures something (flow-bound: connections per client connection), per topology: its numbers and one line on them. */
  measures: Map<string, Map<string, { data: unknown; line: string }>>;
  /** Random schedules behind each measure (on top of its deepest default run). */
  measureRuns: number;
  /** Per topology, the machine coverage of all its cells' exploration (empty under --exhaustive). */
  coverage: Map<string, MachineCoverage[]>;
  /** The first file that could not be written; the cells after it have no trace (the verdicts are all there). */
  failure: OutputError | null;
}

/** Runs the matrix; writes each cell's trace under `outDir/<topology>/`. Progress goes to `progress`. */
export function runMatrix(
  options: {
    topologies: Topology[];
    properties: Property[];
    runs: number;
    seed: number;
    outDir: string;
    command: string;
    /** Exhaustive search instead of random exploration, with this state budget per cell. */
    exhaustive?: { maxStates: number } | null;
    /** The files topologies were loaded from, by topology name (recorded in their traces). */
    topologyFiles?: ReadonlyMap<string, NonNullable<TraceFile['topologyFile']>>;
  },
  progress: (line: string) => void = () => {},
): Matrix {
  const cells: MatrixCell[] = [];
  const measureRuns = Math.min(MEASURE_RUNS, options.runs);
  const measures = new Map<string, Map<string, { data: unknown; line: string }>>();
  const coverage = new Map<string, MachineCoverage[]>();
  let failure: OutputError | null = null;
  /** Writes a cell's files unless an earlier write failed; a failure is kept, not thrown, so that every verdict is still computed. */
  const write = (dir: string, property: string, files: readonly (readonly [string, string])[]): boolean => {
    if (failure) return false;
    try {
      for (const [path, text] of files) writeTextAtomic(path, text);
      // What an earlier matrix left for this cell and this one did not write (the property holds now) goes.
      removeStaleFiles(dir, (name) => isTraceOutput(property, name), new Set(files.map(([path]) => path)));
      return true;
    } catch (e) {
      if (!(e instanceof OutputError)) throw e;
      failure = e;
      return false;
    }
  };
  for (const topology of options.topologies) {
    const dir = topologyDirectory(options.outDir, topology);
    for (const property of options.properties) {
      const t0 = Date.now();
      const skipped = options.exhaustive
        ? notApplicableResult(topology, property, { ...exhaustiveBounds(topology, property, {}), maxSteps: 0, scheduleLength: 0, tail: false }, 0)
        : null;
      const result: CheckResult =
        skipped ??
        (options.exhaustive
          ? exhaustiveCheck(topology, property, { maxStates: options.exhaustive.maxStates })
          : check(topology, property, { runs: options.runs, seed: options.seed }));
      const run = result.counterexample ?? result.witness;
      const cell: MatrixCell = {
        topology: topology.name,
        property: property.name,
        verdict: result.verdict,
        healthy: isHealthy(property, result.verdict),
        result,
        ms: Date.now() - t0,
      };
      if (run) {
        cell.run = run;
        const base = join(dir, property.name);
        // An exhaustive result's bounds say how deep the search went, not how long its run may go on.
        const maxSteps = options.exhaustive ? Math.max(DEFAULT_CHECK_OPTIONS.maxSteps, run.steps + 1) : result.bounds.maxSteps;
        const trace = counterexampleTrace(topology, property, run, { maxSteps, seed: result.seed, topologyFile: options.topologyFiles?.get(topology.name) ?? null });
        const files = [
          [`${base}.trace.json`, traceToJson(trace)],
          [`${base}.mmd`, traceDiagramTexts(trace, { witness: property.kind === 'sometimes' }).mmd],
        ] as const;
        if (write(dir, property.name, files)) [cell.trace, cell.diagram] = [files[0][0], files[1][0]];
      } else write(dir, property.name, []);
      cells.push(cell);
      progress(`${topology.name.padEnd(26)} ${property.name.padEnd(18)} ${result.verdict.padEnd(9)} ${(cell.ms / 1000).toFixed(1)} s`);
    }
    if (!options.exhaustive) coverage.set(topology.name, coverageOf(topology, mergeExercised(cells.filter((c) => c.topology === topology.name).map((c) => c.result.coverage))));
    if (!options.exhaustive)
      for (const p of options.properties)
        if (p.measure) {
          if (!measures.has(p.name)) measures.set(p.name, new Map());
          measures.get(p.name)!.set(topology.name, p.measure.run(topology, { runs: measureRuns, seed: options.seed }));
        }
  }
  return { ...options, cells, measures, measureRuns, coverage, failure };
}
