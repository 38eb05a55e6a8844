import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../models/inputError.js';
import { formatDuration, MAX_DURATION_MS } from '../../models/params/duration.js';
import { defaultScenario } from '../../models/scenarios/shipped.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { OutputError } from '../io/errors.js';
import { preflightDirectory } from '../io/preflight.js';
import { ProgressLine } from '../report/terminal/progress.js';
import { topologyDirectory } from '../trace/outputNames.js';
import { comparisonChartSpec, renderSvg } from '../simulate/charts.js';
import type { Progress } from '../simulate/engine.js';
import { outsideTheKernel } from '../simulate/happenings.js';
import { checkWindowFits } from '../simulate/runTopology.js';
import { checkWindow } from '../simulate/window.js';
import { resolveScenario } from '../topologyFile/scenarioFile.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { EXIT } from './exitCodes.js';
import { nameList, parseCommand, wholeNumber } from './options.js';
import { Printer } from './output.js';
import { runAndWrite, type RunFailure, type RunJob, type RunReport } from './simulateRun.js';

export const simulateUsage = `connmodel simulate [--topology NAME|FILE[,...]] [--scenario NAME|FILE[,...]] [--duration 10m] [--seed N[,N...]]
                   [--out DIR] [--json] [--trace-window A..B] [--jobs N] [--no-charts]`;

export const simulateAbout =
  'run a discrete-event simulation of a topology under a load scenario (the same tier machines and kernel as check, stochastic choices): per-minute metrics as CSV and JSON, charts as SVG';

const options = {
  topology: { type: 'string', multiple: true },
  scenario: { type: 'string', multiple: true },
  duration: { type: 'string' },
  seed: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean' },
  'trace-window': { type: 'string' },
  jobs: { type: 'string' },
  'no-charts': { type: 'boolean' },
} as const;

const UNIT: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A span of simulated time: `90s`, `12m30s`, `1h`, `1.5s`, or plain milliseconds. */
export function parseSpan(option: string, text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const parts = [...t.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== t)
    throw new InputError(`--${option}: '${text}' is not a duration; write e.g. 10m, 90s, 12m30s, 1h or milliseconds`);
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * UNIT[p[2]!]!, 0);
  if (!Number.isInteger(ms)) throw new InputError(`--${option}: '${text}' is not whole milliseconds`);
  return ms;
}

/**
 * Everything checked, before anything runs or is written: the options, the
 * topology and scenario files (bounded reads, validated), and that the
 * output directory can be written. Each run's files go to
 * `<out>/<topology>/<scenario>-seed<N>/` (out/seed/steady-seed1/), as other
 * commands write per topology.
 */
export function prepareSimulate(argv: string[]) {
  const { values } = parseCommand(options, argv);
  const topologyArgs = nameList('topology', values.topology);
  const topologies = (topologyArgs.length > 0 ? topologyArgs : [defaultTopology]).map((a) => resolveTopology(a));
  const names = topologies.map((t) => t.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new InputError(`--topology names topology '${twice}' twice (its runs would overwrite each other)`);
  const scenarioArgs = nameList('scenario', values.scenario);
  const seeds = nameList('seed', values.seed).map((s) => wholeNumber('seed', s, 1, 0, 2 ** 32 - 1));
  if (seeds.length === 0) seeds.push(1);
  const jobs: RunJob[] = [];
  const outDir = values.out ?? 'out';
  let window: { from: number; to: number } | null = null;
  if (values['trace-window'] !== undefined) {
    const m = /^(.+)\.\.(.+)$/.exec(values['trace-window']);
    if (!m) throw new InputError(`--trace-window: expected A..B (e.g. 12m30s..12m31s), found '${values['trace-window']}'`);
    window = { from: parseSpan('trace-window', m[1]!), to: parseSpan('trace-window', m[2]!) };
  }
  for (const topology of topologies) {
    const scenarioNames = new Set<string>();
    for (const arg of scenarioArgs.length > 0 ? scenarioArgs : [defaultScenario]) {
      const scenario = resolveScenario(arg, topology);
      if (scenarioNames.has(scenario.name)) throw new InputError(`--scenario names scenario '${scenario.name}' twice (its runs would overwrite each other)`);
      scenarioNames.add(scenario.name);
      const duration = values.duration !== undefined ? parseSpan('duration', values.duration) : scenario.duration;
      if (duration < 1000 || duration > MAX_DURATION_MS) throw new InputError(`--duration must be between 1s and ${formatDuration(MAX_DURATION_MS)}, found ${formatDuration(duration)}`);
      if (window) {
        if (window.to > duration) throw new InputError(`--trace-window ends at ${formatDuration(window.to)}, after the run's ${formatDuration(duration)}`);
        checkWindowFits(topology, duration);
        checkWindow(window.from, window.to, outsideTheKernel(scenario, duration));
      }
      for (const seed of seeds) {
        const run = `${scenario.name}-seed${seed}`.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^\.+/, '_');
        jobs.push({ name: `${scenario.name}-${topology.name}-seed${seed}`, topology, scenario, seed, duration, dir: join(topologyDirectory(outDir, topology), run), window, charts: !values['no-charts'] });
      }
    }
  }
  const parallel = wholeNumber('jobs', values.jobs, Math.min(jobs.length, availableParallelism()), 1, 256);
  preflightDirectory(outDir, `--out '${outDir}'`);
  return { jobs, outDir, json: values.json === true, parallel };
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Progress on a terminal (the printer's stderr): simulated time, events/s, ETA; nothing when it is not a TTY. */
class RunsProgress {
  private readonly runs = new Map<string, Progress>();
  constructor(private readonly line: ProgressLine) {}
  update(name: string, p: Progress) {
    this.runs.set(name, p);
    const all = [...this.runs.values()];
    const sim = all.reduce((s, x) => s + x.simulated, 0);
    const total = all.reduce((s, x) => s + x.duration, 0);
    const rate = all.reduce((s, x) => s + x.events / Math.max(x.wallMs / 1000, 1e-3), 0);
    const wall = Math.max(...all.map((x) => x.wallMs));
    const eta = sim > 0 ? (wall * (total - sim)) / sim / Math.max(all.length, 1) : 0;
    this.line.show(
      `simulated ${clock(sim / Math.max(all.length, 1))} of ${clock(total / Math.max(all.length, 1))} (${((100 * sim) / total).toFixed(0)}%, ${all.length} run${all.length === 1 ? '' : 's'})  ${Math.round(rate).toLocaleString('en-US')} events/s  ETA ${clock(eta)}  (Ctrl-C stops and writes the minutes so far)`,
    );
  }
  done() {
    this.line.clear();
  }
}

function errorOf(f: RunFailure, run: string): Error {
  if (f.kind === 'output') return new OutputError(f.message, f.path ?? '');
  if (f.kind === 'input') return new InputError(f.message);
  const e = new Error(`run ${run}: ${f.message}`);
  if (f.stack) e.stack = `${e.message}\n${f.stack}`;
  return e;
}

/**
 * Runs the jobs, `parallel` at a time: on worker threads when more than one,
 * else here. Ctrl-C stops every run cleanly. A run whose files cannot be
 * written (an OutputError) is not reported; the first such failure is
 * returned beside the reports of the others, which go on.
 */
export async function runJobs(
  jobs: readonly RunJob[],
  parallel: number,
  progress: RunsProgress,
  stopped: { now: boolean },
): Promise<{ reports: RunReport[]; failure: OutputError | null }> {
  let failure: OutputError | null = null;
  const outputFailure = (e: unknown) => {
    if (!(e instanceof OutputError)) throw e;
    failure ??= e;
  };
  if (parallel <= 1 || jobs.length === 1) {
    const out: RunReport[] = [];
    for (const job of jobs) {
      if (stopped.now) break;
      try {
        out.push(await runAndWrite(job, { onProgress: (p) => progress.update(job.name, p), shouldStop: () => stopped.now }));
      } catch (e) {
        outputFailure(e);
      }
    }
    return { reports: out, failure };
  }
  const fromSource = import.meta.url.endsWith('.ts');
  const script = new URL(fromSource ? './simulateWorker.ts' : './simulateWorker.js', import.meta.url);
  const reports: RunReport[] = new Array(jobs.length);
  let next = 0;
  const workers = new Set<Worker>();
  const stopAll = setInterval(() => {
    if (stopped.now) for (const w of workers) w.postMessage({ stop: true });
  }, 100);
  const lane = async () => {
    while (next < jobs.length && !stopped.now) {
      const i = next++;
      const job = jobs[i]!;
      const report = new Promise<RunReport>((resolve, reject) => {
        // From the TypeScript sources (the tests), the worker registers tsx first; the built package runs its JS directly.
        const w = fromSource
          ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(script.href)}); })`, { eval: true, workerData: job })
          : new Worker(script, { workerData: job });
        workers.add(w);
        w.on('message', (m: { progress?: Progress; report?: RunReport; error?: RunFailure }) => {
          if (m.progress) progress.update(job.name, m.progress);
          if (m.report) {
            resolve(m.report);
            void w.terminate();
          }
          if (m.error) reject(errorOf(m.error, job.name));
        });
        w.on('error', reject);
        w.on('exit', () => workers.delete(w));
      });
      try {
        reports[i] = await report;
      } catch (e) {
        outputFailure(e);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, lane));
  } finally {
    clearInterval(stopAll);
  }
  return { reports: reports.filter((r) => r !== undefined), failure };
}

const perSecond = (x: number | undefined) => ((x ?? 0) / 60).toFixed(0);

/** A run's minutes as a table: the request rate next to the load balancer's ActiveFlowCount, and what the queue held. */
export function minuteTable(r: RunReport): string {
  const c = r.columns;
  const edge = c.find((x) => x.endsWith('.Requests'))!;
  const flows = c.find((x) => x.endsWith('.ActiveFlowCount'));
  const db = c.find((x) => x.endsWith('.DatabaseConnections'));
  const parked = c.filter((x) => x.endsWith('.parked'));
  const head = ['min', `${edge}/s`, '2xx/s', '429/s', '5xx+lost/s', 'p50 ms', 'p99 ms', ...(flows ? [`${flows} avg`, 'max'] : []), 'parked max', ...(db ? [db] : [])];
  const lines = r.rows.map((row) => [
    String(row.minute),
    perSecond(row[edge]),
    perSecond(row['responses.2xx']),
    perSecond(row['responses.429']),
    perSecond((row['responses.502'] ?? 0) + (row['responses.503'] ?? 0) + (row['responses.504'] ?? 0) + (row['responses.lost'] ?? 0)),
    String(row['latency.p50']),
    String(row['latency.p99']),
    ...(flows ? [String(row[flows]), String(row[`${flows}.max`])] : []),
    String(parked.reduce((s, p) => s + (row[`${p}.max`] ?? 0), 0)),
    ...(db ? [String(row[db])] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((x, i) => x.padStart(widths[i]!)).join('  ');
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

function reportText(reports: readonly RunReport[], comparison: string | null, interrupted: boolean): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(
      `${r.scenario} on ${r.topology}, seed ${r.seed}: ${clock(r.simulated)} simulated${r.interrupted ? ' (interrupted: the minutes so far are written)' : ''}, ${r.events.toLocaleString('en-US')} events in ${(r.wallMs / 1000).toFixed(1)} s (${Math.round(r.eventsPerSecond).toLocaleString('en-US')} events/s)`,
      minuteTable(r),
      `  metrics: ${r.files.csv}, ${r.files.json}${r.files.chart ? `\n  charts:  ${r.files.chart}` : ''}${r.files.trace ? `\n  trace window: ${r.files.trace} (connmodel replay ${r.files.trace})` : ''}`,
      '',
    );
  }
  if (comparison) out.push(`comparison of the runs: ${comparison}`);
  if (interrupted) out.push('interrupted: every run stopped cleanly; its files hold the minutes simulated so far');
  return `${out.join('\n')}\n`;
}

/**
 * `connmodel simulate`: checked at once (exit 2 on bad input or an output
 * directory that cannot be written, nothing run), then the runs. Exit 0 when
 * they ran, 130 when interrupted (the minutes so far are written), 2 when a
 * file could not be written (after the results of every run).
 */
export function simulateCommand(argv: string[], out = new Printer()): Promise<number> {
  return runSimulate(prepareSimulate(argv), out);
}

export async function runSimulate(p: ReturnType<typeof prepareSimulate>, out: Printer = new Printer()): Promise<number> {
  const stopped = { now: false };
  const onInt = () => {
    if (stopped.now) process.exit(EXIT.interrupted);
    stopped.now = true;
  };
  process.on('SIGINT', onInt);
  const progress = new RunsProgress(new ProgressLine((s) => out.io.stderr(s), out.io.tty && !p.json, 250, out.io.stderrColumns ?? 0));
  try {
    const { reports, failure: runFailure } = await runJobs(p.jobs, p.parallel, progress, stopped);
    let failure = runFailure;
    progress.done();
    let comparison: string | null = null;
    if (reports.length > 1 && p.jobs[0]!.charts && failure === null) {
      const file = join(p.outDir, 'comparison.svg');
      try {
        writeTextAtomic(file, await renderSvg(comparisonChartSpec(reports.map((r) => ({ name: r.name, rows: r.rows, columns: r.columns })))));
        comparison = file;
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        failure = e;
      }
    }
    const interrupted = stopped.now || reports.some((r) => r.interrupted);
    if (p.json) {
      const runs = reports.map(({ rows: _rows, columns: _columns, ...rest }) => rest);
      out.json({ runs, comparison, interrupted, ...(failure ? { failure: failure.message } : {}) });
    } else out.text(reportText(reports, comparison, interrupted));
    if (failure !== null) {
      out.error(`connmodel simulate: ${failure.message} (the results above are complete; files from that one on were not written)\n`);
      return EXIT.badInput;
    }
    return interrupted ? EXIT.interrupted : EXIT.ok;
  } finally {
    process.off('SIGINT', onInt);
  }
}
