import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../models/inputError.js';
import { formatDuration, MAX_DURATION_MS } from '../../models/params/duration.js';
import { defaultScenario } from '../../models/scenarios/shipped.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { comparisonChartSpec, renderSvg } from '../simulate/charts.js';
import type { Progress } from '../simulate/engine.js';
import { outsideTheKernel } from '../simulate/happenings.js';
import { checkWindow } from '../simulate/window.js';
import { resolveScenario } from '../topologyFile/scenarioFile.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { reportFailure } from './failure.js';
import { nameList, outDirectory, parseCommand, wholeNumber } from './options.js';
import { runAndWrite, type RunJob, type RunReport } from './simulateRun.js';

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

/** Everything checked, before anything runs or is written. */
export function prepareSimulate(argv: string[]) {
  const { values } = parseCommand('simulate', options, () => parseArgs({ args: argv, options, strict: true }));
  const topologyArgs = nameList(values.topology);
  const topologies = (topologyArgs.length > 0 ? topologyArgs : [defaultTopology]).map((a) => resolveTopology(a));
  const scenarioArgs = nameList(values.scenario);
  const seeds = nameList(values.seed).map((s) => wholeNumber('seed', s, 1, 0, 2 ** 32 - 1));
  if (seeds.length === 0) seeds.push(1);
  const jobs: RunJob[] = [];
  const outDir = outDirectory(values.out ?? join('out', 'simulate'));
  let window: { from: number; to: number } | null = null;
  if (values['trace-window'] !== undefined) {
    const m = /^(.+)\.\.(.+)$/.exec(values['trace-window']);
    if (!m) throw new InputError(`--trace-window: expected A..B (e.g. 12m30s..12m31s), found '${values['trace-window']}'`);
    window = { from: parseSpan('trace-window', m[1]!), to: parseSpan('trace-window', m[2]!) };
  }
  for (const topology of topologies)
    for (const arg of scenarioArgs.length > 0 ? scenarioArgs : [defaultScenario]) {
      const scenario = resolveScenario(arg, topology);
      const duration = values.duration !== undefined ? parseSpan('duration', values.duration) : scenario.duration;
      if (duration < 1000 || duration > MAX_DURATION_MS) throw new InputError(`--duration must be between 1s and ${formatDuration(MAX_DURATION_MS)}, found ${formatDuration(duration)}`);
      if (window) {
        if (window.to > duration) throw new InputError(`--trace-window ends at ${formatDuration(window.to)}, after the run's ${formatDuration(duration)}`);
        checkWindow(window.from, window.to, outsideTheKernel(scenario, duration));
      }
      for (const seed of seeds) {
        const name = `${scenario.name}-${topology.name}-seed${seed}`.replace(/[^A-Za-z0-9_.-]/g, '-');
        jobs.push({ name, topology, scenario, seed, duration, dir: join(outDir, name), window, charts: !values['no-charts'] });
      }
    }
  const parallel = wholeNumber('jobs', values.jobs, Math.min(jobs.length, availableParallelism()), 1, 256);
  return { jobs, outDir, json: values.json === true, parallel };
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Progress on a terminal: simulated time, events/s, ETA; nothing when stderr is not a TTY. */
class ProgressLine {
  private readonly runs = new Map<string, Progress>();
  private last = 0;
  constructor(private readonly on: boolean) {}
  update(name: string, p: Progress) {
    if (!this.on) return;
    this.runs.set(name, p);
    const now = Date.now();
    if (now - this.last < 250) return;
    this.last = now;
    const all = [...this.runs.values()];
    const sim = all.reduce((s, x) => s + x.simulated, 0);
    const total = all.reduce((s, x) => s + x.duration, 0);
    const rate = all.reduce((s, x) => s + x.events / Math.max(x.wallMs / 1000, 1e-3), 0);
    const wall = Math.max(...all.map((x) => x.wallMs));
    const eta = sim > 0 ? (wall * (total - sim)) / sim / Math.max(all.length, 1) : 0;
    process.stderr.write(`\r\x1b[Ksimulated ${clock(sim / Math.max(all.length, 1))} of ${clock(total / Math.max(all.length, 1))} (${((100 * sim) / total).toFixed(0)}%, ${all.length} run${all.length === 1 ? '' : 's'})  ${Math.round(rate).toLocaleString('en-US')} events/s  ETA ${clock(eta)}`);
  }
  done() {
    if (this.on && this.runs.size > 0) process.stderr.write('\r\x1b[K');
  }
}

/** Runs the jobs, `parallel` at a time: on worker threads when more than one, else here. Ctrl-C stops every run cleanly. */
export async function runJobs(jobs: readonly RunJob[], parallel: number, progress: ProgressLine, stopped: { now: boolean }): Promise<RunReport[]> {
  if (parallel <= 1 || jobs.length === 1) {
    const out: RunReport[] = [];
    for (const job of jobs) {
      if (stopped.now) break;
      out.push(await runAndWrite(job, { onProgress: (p) => progress.update(job.name, p), shouldStop: () => stopped.now }));
    }
    return out;
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
      reports[i] = await new Promise<RunReport>((resolve, reject) => {
        // From the TypeScript sources (the tests), the worker registers tsx first; the built package runs its JS directly.
        const w = fromSource
          ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(script.href)}); })`, { eval: true, workerData: job })
          : new Worker(script, { workerData: job });
        workers.add(w);
        w.on('message', (m: { progress?: Progress; report?: RunReport; error?: string }) => {
          if (m.progress) progress.update(job.name, m.progress);
          if (m.report) {
            resolve(m.report);
            void w.terminate();
          }
          if (m.error) reject(new Error(`run ${job.name}: ${m.error}`));
        });
        w.on('error', reject);
        w.on('exit', () => workers.delete(w));
      });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, lane));
  } finally {
    clearInterval(stopAll);
  }
  return reports.filter((r) => r !== undefined);
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

/** `connmodel simulate`: checked at once (exit 2 on bad input, nothing run); the runs then go on asynchronously and set the exit code (130 when interrupted). */
export function simulateCommand(argv: string[]): number {
  const prepared = prepareSimulate(argv);
  runSimulate(prepared).then(
    (code) => (process.exitCode = code),
    (e: unknown) => (process.exitCode = reportFailure(e)),
  );
  return 0;
}

export async function runSimulate(p: ReturnType<typeof prepareSimulate>): Promise<number> {
  const stopped = { now: false };
  const onInt = () => {
    if (stopped.now) process.exit(130);
    stopped.now = true;
  };
  process.on('SIGINT', onInt);
  const progress = new ProgressLine(process.stderr.isTTY === true && !p.json);
  try {
    const reports = await runJobs(p.jobs, p.parallel, progress, stopped);
    progress.done();
    let comparison: string | null = null;
    if (reports.length > 1 && p.jobs[0]!.charts) {
      comparison = join(p.outDir, 'comparison.svg');
      writeTextAtomic(comparison, await renderSvg(comparisonChartSpec(reports.map((r) => ({ name: r.name, rows: r.rows, columns: r.columns })))));
    }
    const interrupted = stopped.now || reports.some((r) => r.interrupted);
    if (p.json) {
      const runs = reports.map(({ rows: _rows, columns: _columns, ...rest }) => rest);
      process.stdout.write(`${JSON.stringify({ runs, comparison, interrupted })}\n`);
    } else process.stdout.write(reportText(reports, comparison, interrupted));
    return interrupted ? 130 : 0;
  } finally {
    process.off('SIGINT', onInt);
  }
}
