import { join } from 'node:path';
import type { Topology } from '../../models/topologies/topology.js';
import { traceDiagramTexts } from '../diagrams/traceDiagrams.js';
import { check, DEFAULT_CHECK_OPTIONS, notApplicableResult, type CheckResult, type Counterexample } from '../explore/check.js';
import { exhaustiveBounds, exhaustiveCheck } from '../explore/exhaustive/index.js';
import type { Property, Verdict } from '../explore/property.js';
import { isHealthy } from '../explore/verdict.js';
import { coverageOf, mergeExercised, type MachineCoverage } from '../explore/coverage.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { counterexampleTrace } from '../trace/counterexample.js';
import { traceToJson } from '../trace/file.js';

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
  },
  progress: (line: string) => void = () => {},
): Matrix {
  const cells: MatrixCell[] = [];
  const measureRuns = Math.min(MEASURE_RUNS, options.runs);
  const measures = new Map<string, Map<string, { data: unknown; line: string }>>();
  const coverage = new Map<string, MachineCoverage[]>();
  for (const topology of options.topologies) {
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
        const base = join(options.outDir, topology.name, property.name);
        // An exhaustive result's bounds say how deep the search went, not how long its run may go on.
        const maxSteps = options.exhaustive ? Math.max(DEFAULT_CHECK_OPTIONS.maxSteps, run.steps + 1) : result.bounds.maxSteps;
        const trace = counterexampleTrace(topology, property, run, { maxSteps, seed: result.seed });
        cell.trace = `${base}.trace.json`;
        cell.diagram = `${base}.mmd`;
        writeTextAtomic(cell.trace, traceToJson(trace));
        writeTextAtomic(cell.diagram, traceDiagramTexts(trace, { witness: property.kind === 'sometimes' }).mmd);
      }
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
  return { ...options, cells, measures, measureRuns, coverage };
}
