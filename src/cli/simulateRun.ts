import { join } from 'node:path';
import type { SimulationScenario } from '../../models/scenarios/scenario.js';
import type { Topology } from '../../models/topologies/topology.js';
import { InputError } from '../../models/inputError.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { OutputError } from '../io/errors.js';
import { renderSvg, runChartSpec } from '../simulate/charts.js';
import { Simulation, type Progress, type SimulationResult } from '../simulate/engine.js';
import type { Row } from '../simulate/metrics.js';
import { MetricsFiles } from '../simulate/metricsFiles.js';
import { clientConnections, UNBOUNDED } from '../simulate/runTopology.js';
import { windowTrace } from '../trace/simulationWindow.js';
import { traceToJson } from '../trace/file.js';

/** One run of `connmodel simulate`: what to run and where its files go. Plain data: it crosses to worker threads. */
export interface RunJob {
  name: string;
  topology: Topology;
  scenario: SimulationScenario;
  seed: number;
  duration: number;
  dir: string;
  window: { from: number; to: number } | null;
  charts: boolean;
}

export interface RunReport {
  name: string;
  topology: string;
  scenario: string;
  seed: number;
  duration: number;
  simulated: number;
  events: number;
  wallMs: number;
  eventsPerSecond: number;
  interrupted: boolean;
  files: { csv: string; json: string; chart: string | null; trace: string | null };
  rows: Row[];
  columns: string[];
  totals: Record<string, number>;
  openAtEnd: SimulationResult['openAtEnd'];
  unfinished: SimulationResult['unfinished'];
}

/** Runs one simulation, streaming its metrics to `dir`, then draws its page and writes its trace window. */
export async function runAndWrite(job: RunJob, hooks: { onProgress?: (p: Progress) => void; shouldStop?: () => boolean } = {}): Promise<RunReport> {
  const rows: Row[] = [];
  let files: MetricsFiles | null = null;
  const sim = new Simulation({
    topology: job.topology,
    scenario: job.scenario,
    duration: job.duration,
    seed: job.seed,
    window: job.window,
    onMinute: (row, partial) => {
      rows.push(row);
      files!.write(row, partial);
    },
    ...hooks,
  });
  files = new MetricsFiles(join(job.dir, 'metrics.csv'), join(job.dir, 'metrics.json'), sim.metrics.columns, {
    topology: job.topology.name,
    scenario: job.scenario.name,
    seed: job.seed,
    duration: job.duration,
    about: job.scenario.about,
  });
  const r = await sim.run();
  const summary = { simulated: r.simulated, events: r.events, interrupted: r.interrupted, totals: r.totals, openAtEnd: r.openAtEnd, unfinished: r.unfinished };
  files.close(summary);
  let chart: string | null = null;
  if (job.charts && rows.length > 0) {
    chart = join(job.dir, 'charts.svg');
    writeTextAtomic(chart, await renderSvg(runChartSpec(`${job.scenario.name} on ${job.topology.name}, seed ${job.seed}: ${job.scenario.about}`, rows, sim.metrics.columns)));
  }
  let trace: string | null = null;
  if (r.window) {
    trace = join(job.dir, 'window.trace.json');
    writeTextAtomic(trace, traceToJson(windowTrace(r.model.topology, clientConnections(job.scenario), UNBOUNDED, job.seed, r.window)));
  }
  return {
    name: job.name,
    topology: job.topology.name,
    scenario: job.scenario.name,
    seed: job.seed,
    duration: job.duration,
    simulated: r.simulated,
    events: r.events,
    wallMs: r.wallMs,
    eventsPerSecond: r.events / Math.max(r.wallMs / 1000, 1e-9),
    interrupted: r.interrupted,
    files: { csv: files.csvPath, json: files.jsonPath, chart, trace },
    rows,
    columns: sim.metrics.columns,
    totals: r.totals,
    openAtEnd: r.openAtEnd,
    unfinished: r.unfinished,
  };
}

/** A run's failure as its thread posts it: what kind, so that the parent raises the same error (exit 2 for input and output, 3 for a bug). */
export interface RunFailure {
  kind: 'input' | 'output' | 'internal';
  message: string;
  path?: string;
  stack?: string;
}

export function runFailureOf(e: unknown): RunFailure {
  if (e instanceof OutputError) return { kind: 'output', message: e.message, path: e.path };
  if (e instanceof InputError) return { kind: 'input', message: e.message };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) };
}
