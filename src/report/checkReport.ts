import type { Topology } from '../../models/topologies/topology.js';
import type { CheckOptions, CheckResult } from '../explore/check.js';
import { coverageOf, mergeExercised, transitionCoverage, type MachineCoverage } from '../explore/coverage.js';
import type { Property } from '../explore/property.js';
import { isFailure } from '../explore/verdict.js';
import type { SavedCounterexample } from './counterexamples.js';

/** Everything a report of one `check` says: what was asked, what was found, where it was written, how to redo it. */
export interface CheckReport {
  topology: Topology;
  /** The properties asked for, in order (results may be fewer when interrupted). */
  properties: readonly Property[];
  /** Results in the order of `properties`; the last one may be partial (`interrupted`). */
  results: CheckResult[];
  /** Where each property's counterexamples (or witness) were written, headline first. */
  saved: ReadonlyMap<string, readonly SavedCounterexample[]>;
  options: CheckOptions;
  /** Exhaustive search rather than random exploration. */
  exhaustive: boolean;
  /** How the command line is run where the user ran it (`connmodel`, `npx connmodel`): every printed hint starts with it. */
  cli: string;
  /** The topology as the user named it (`seed`, `my-pipeline.yaml`): hints that take a topology use it. */
  topologyArg: string;
  /** The arguments that redo this check: `check --topology seed --runs 1000 --seed 42`. */
  rerun: string;
  /** Stopped by Ctrl-C before every property was checked. */
  interrupted: boolean;
  /** `--min-coverage`: the share of each machine's transitions (0..1) below which a warning is due. */
  minCoverage?: number;
}

export const propertyOf = (report: Pick<CheckReport, 'properties'>, name: string): Property | undefined =>
  report.properties.find((p) => p.name === name);

/** Whether a result is a finding (exit 1): violated, or a bad state reachable (or a good one not reached). */
export function failed(report: Pick<CheckReport, 'properties'>, r: Pick<CheckResult, 'property' | 'verdict'>): boolean {
  const p = propertyOf(report, r.property);
  return p ? isFailure(p, r.verdict) : r.verdict === 'violated';
}

/** The machine coverage of every result together. */
export function checkCoverage(report: Pick<CheckReport, 'topology' | 'results'>): MachineCoverage[] {
  return coverageOf(report.topology, mergeExercised(report.results.map((r) => r.coverage)));
}

/** Machine kinds whose transition coverage is below `min` (0..1). */
export function coverageShortfall(coverage: readonly MachineCoverage[], min: number | undefined): MachineCoverage[] {
  return min === undefined ? [] : coverage.filter((c) => transitionCoverage(c) < min);
}

/** Where a property's trace was written, and the command that replays it (or reruns the check when nothing was written). */
export function replayOf(report: CheckReport, property: string): { trace: string | null; replay: string } {
  const path = report.saved.get(property)?.[0]?.path ?? null;
  return { trace: path, replay: path ? `${report.cli} replay ${quoteArg(path)}` : `${report.cli} ${report.rerun} --property ${property}` };
}

/** A path as a shell argument: bare when it is safe to paste, else single-quoted. */
export function quoteArg(s: string): string {
  return /^[\w./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
