import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import type { Property } from '../explore/property.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { resolveTopologySource } from '../topologyFile/resolve.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult } from '../explore/check.js';
import { exclusive, nameList, parseCommand, wholeNumber } from './options.js';
import { DEFAULT_EXHAUSTIVE_OPTIONS, TIME_ABSTRACTIONS, type ExhaustiveCheckResult, type ExhaustiveOptions, type TimeAbstraction } from '../explore/exhaustive/index.js';
import { searchSummary } from '../explore/exhaustive/runner.js';
import { InputError } from '../../models/inputError.js';
import { runCheckSession, type SessionListener } from '../report/checkSession.js';
import { checkCoverage, coverageShortfall, failed, type CheckReport } from '../report/checkReport.js';
import { topologyDirectory, type SavedCounterexample } from '../report/counterexamples.js';
import { checkJson } from '../report/checkJson.js';
import { checkHeader, closingLines, propertyBlock, quietLine, summaryTable } from '../report/checkText.js';
import { readMatrixDocument, writeHtmlReport } from '../report/html/write.js';
import { preflightDirectory, preflightFile } from '../io/preflight.js';
import { parseParamSpec, withParam } from '../sweep/params.js';
import type { OutputError } from '../io/errors.js';
import { EXIT } from './exitCodes.js';
import { invocation } from './invocation.js';
import { Printer } from './output.js';
import { terminal } from './terminal.js';

export const checkUsage = `connmodel check [--topology NAME|FILE] [--param TIER.PARAM=VALUE]... [--property NAME[,NAME]] [--runs N] [--seed N]
                [--clients N] [--requests N] [--json] [--out DIR | --no-out] [--verbose | --quiet] [--report FILE.html [--matrix M.json]]
                [--min-coverage PERCENT]
                [--exhaustive [--depth N] [--max-states N] [--no-symmetry] [--time activity|exact|hull] [--all-facets]]`;

const checkOptions = {
  topology: { type: 'string' },
  property: { type: 'string', multiple: true },
  runs: { type: 'string' },
  seed: { type: 'string' },
  clients: { type: 'string' },
  requests: { type: 'string' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  'no-out': { type: 'boolean' },
  verbose: { type: 'boolean' },
  quiet: { type: 'boolean' },
  report: { type: 'string' },
  matrix: { type: 'string' },
  exhaustive: { type: 'boolean' },
  depth: { type: 'string' },
  'max-states': { type: 'string' },
  'no-symmetry': { type: 'boolean' },
  time: { type: 'string' },
  'all-facets': { type: 'boolean' },
  'min-coverage': { type: 'string' },
  param: { type: 'string', multiple: true },
} as const;

/** `--min-coverage 80` (or `80%`): a share of transitions, 0..1. */
function minCoverageOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n >= 0 && n <= 100)) throw new InputError(`--min-coverage must be a percentage from 0 to 100, found '${value}'`);
  return n / 100;
}

export type CommandName = 'check' | 'run' | 'report';

/** Parses and validates everything, and checks that the outputs can be written, before any work is done or any file written. */
export function prepareCheck(command: CommandName, argv: string[]) {
  const { values, positionals } = parseCommand(checkOptions, argv, command === 'report');
  exclusive(values, 'out', 'no-out', '--no-out writes nothing');
  const source = resolveTopologySource(values.topology ?? defaultTopology);
  // --param: the topology with some parameters changed (what a sweep's counterexample is reproduced with).
  const topology = (values.param ?? []).reduce((t, spec) => {
    const p = parseParamSpec(t, spec);
    if (p.values.length !== 1) throw new InputError(`--param ${spec}: check takes one value per parameter (connmodel sweep takes several)`);
    return withParam(t, p.tier, p.param, p.values[0]);
  }, source.topology);
  // A trace names the file its topology came from; with --param it is that file changed, so none is named.
  const file = (values.param ?? []).length > 0 ? null : source.file;
  const names = nameList('property', values.property);
  const asked = names.length > 0 ? names.map(propertyNamed) : [...catalogue];
  const searchable = (p: Property) => p.capabilities.exhaustive;
  if (values.exhaustive && command !== 'check') throw new InputError(`connmodel ${command} does not take --exhaustive; use connmodel check --exhaustive`);
  if (values.exhaustive && names.length > 0 && !asked.every(searchable))
    throw new InputError(
      `--exhaustive cannot check ${asked.filter((p) => !searchable(p)).map((p) => p.name).join(', ')} (its monitor keeps event times; see docs/exhaustive.md); it can check: ${catalogue.filter(searchable).map((p) => p.name).join(', ')}`,
    );
  if (values.exhaustive && (values.runs !== undefined || values.seed !== undefined))
    throw new InputError('--runs and --seed choose random schedules; --exhaustive searches every schedule instead: drop one or the other');
  const properties = values.exhaustive ? asked.filter(searchable) : asked;
  const options: CheckOptions = {
    ...DEFAULT_CHECK_OPTIONS,
    runs: wholeNumber('runs', values.runs, DEFAULT_CHECK_OPTIONS.runs, 1, 10_000_000),
    seed: wholeNumber('seed', values.seed, DEFAULT_CHECK_OPTIONS.seed, -(2 ** 31), 2 ** 31 - 1),
    // Unset: each property explores the topology's bounds, or the larger ones it asks for.
    clients: values.clients === undefined ? undefined : wholeNumber('clients', values.clients, topology.bounds.clients, 1, 64),
    requests: values.requests === undefined ? undefined : wholeNumber('requests', values.requests, topology.bounds.requests, 1, 1000),
  };
  // Each topology's files in a directory of its own: out/seed/one-to-one.trace.json.
  const outDir = values['no-out'] ? null : topologyDirectory(values.out ?? 'out', topology);
  if (values.exhaustive && values['min-coverage'] !== undefined)
    throw new InputError('--min-coverage applies to random exploration (exhaustive search does not measure machine coverage); drop --exhaustive or --min-coverage');
  if (!values.exhaustive && (values.depth || values['max-states'] || values['no-symmetry'] || values.time || values['all-facets']))
    throw new InputError('--depth, --max-states, --no-symmetry, --time and --all-facets apply to --exhaustive only; add --exhaustive');
  if (values.time !== undefined && !(TIME_ABSTRACTIONS as readonly string[]).includes(values.time))
    throw new InputError(`--time must be one of ${TIME_ABSTRACTIONS.join(', ')}, found '${values.time}'`);
  if (values.verbose && values.quiet) throw new InputError('--verbose and --quiet exclude each other');
  if (values.json && (values.verbose || values.quiet)) throw new InputError('--json prints one JSON document: --verbose and --quiet do not apply');
  const report = reportFile(command, values.report, positionals, outDir);
  if (values.matrix !== undefined && report === null) throw new InputError('--matrix goes into the HTML report: add --report FILE.html');
  if (outDir !== null) preflightDirectory(outDir, `--out '${values.out ?? 'out'}'`);
  if (report !== null) preflightFile(report, `the report '${report}'`);
  const exhaustive: Partial<ExhaustiveOptions> | null = values.exhaustive
    ? {
        clients: options.clients,
        requests: options.requests,
        depth: wholeNumber('depth', values.depth, DEFAULT_EXHAUSTIVE_OPTIONS.depth, 1, 100_000),
        maxStates: wholeNumber('max-states', values['max-states'], DEFAULT_EXHAUSTIVE_OPTIONS.maxStates, 1, 2 ** 31 - 1),
        symmetry: values['no-symmetry'] !== true,
        time: (values.time as TimeAbstraction | undefined) ?? DEFAULT_EXHAUSTIVE_OPTIONS.time,
        // Go on after the first violation until every facet (tier boundary) is decided.
        stopAtFirst: values['all-facets'] !== true,
      }
    : null;
  const rerun = [
    'check',
    `--topology ${values.topology ?? defaultTopology}`,
    ...(values.param ?? []).map((s) => `--param ${s}`),
    ...(exhaustive ? [] : [`--runs ${options.runs}`, `--seed ${options.seed}`]),
    ...(values.clients ? [`--clients ${options.clients}`] : []),
    ...(values.requests ? [`--requests ${options.requests}`] : []),
    ...(exhaustive ? ['--exhaustive'] : []),
  ].join(' ');
  return {
    command,
    plan: { topology, properties, options, outDir, exhaustive, topologyFile: file },
    json: values.json === true,
    verbose: values.verbose === true,
    quiet: values.quiet === true,
    report,
    // Read now: a bad matrix file is bad input, found before any work.
    matrix: values.matrix !== undefined ? readMatrixDocument(values.matrix) : null,
    topologyArg: values.topology ?? defaultTopology,
    rerun,
    minCoverage: minCoverageOf(values['min-coverage']),
  };
}

export type PreparedCheck = ReturnType<typeof prepareCheck>;

/** The HTML report's file: `check --report FILE`, or `report [FILE]` (default: report.html in the output folder). */
function reportFile(command: CommandName, option: string | undefined, positionals: string[], outDir: string | null): string | null {
  if (command === 'report') {
    if (option !== undefined) throw new InputError('connmodel report takes the file as its argument: connmodel report [FILE.html]');
    if (positionals.length > 1) throw new InputError(`connmodel report: expected at most one file, found ${positionals.length}`);
    const file = positionals[0] ?? `${outDir ?? 'out'}/report.html`;
    if (!/\.html?$/i.test(file)) throw new InputError(`the report is an HTML file: name it .html, found '${file}'`);
    return file;
  }
  if (option !== undefined && !/\.html?$/i.test(option)) throw new InputError(`--report writes an HTML file: name it .html, found '${option}'`);
  return option ?? null;
}

/** The report of a prepared check, before anything has run (results are added as properties finish). */
function emptyReport(p: PreparedCheck, cli: string): CheckReport {
  const { plan } = p;
  return {
    topology: plan.topology,
    properties: plan.properties,
    results: [],
    saved: new Map<string, SavedCounterexample[]>(),
    options: plan.options,
    exhaustive: plan.exhaustive !== null,
    cli,
    topologyArg: p.topologyArg,
    rerun: p.rerun,
    interrupted: false,
    ...(p.minCoverage !== undefined ? { minCoverage: p.minCoverage } : {}),
  };
}

/** What a caller of `runPreparedCheck` is told: progress, and each property as it finishes, with the report so far. */
export interface CheckListener {
  progress?: SessionListener['progress'];
  finished?(result: CheckResult, saved: SavedCounterexample[], report: CheckReport): void;
}

/**
 * Runs a prepared check, printing nothing: its report, each result added as
 * its property finishes (and `listener.finished` told, its traces written),
 * and the failure to write an output, if one happened (the results are whole
 * all the same).
 */
export async function runPreparedCheck(
  p: PreparedCheck,
  listener: CheckListener = {},
  stopped: () => boolean = () => false,
  cli = invocation(),
): Promise<CheckReport & { failure: OutputError | null }> {
  const report = emptyReport(p, cli);
  const saved = report.saved as Map<string, SavedCounterexample[]>;
  const outcome = await runCheckSession(
    p.plan,
    {
      ...(listener.progress ? { progress: listener.progress } : {}),
      finished: (r, written) => {
        report.results.push(r);
        saved.set(r.property, written);
        listener.finished?.(r, written, report);
      },
    },
    stopped,
  );
  report.interrupted = outcome.interrupted;
  return { ...report, failure: outcome.failure };
}

/**
 * The exit code of a finished check: 130 interrupted; 1 on a finding
 * (violated, a bad state reachable); 5 when every property passed but a
 * machine's coverage fell below `--min-coverage`; else 0.
 */
export function checkExitCode(report: CheckReport): number {
  if (report.interrupted) return EXIT.interrupted;
  if (report.results.some((r) => failed(report, r))) return EXIT.violated;
  return coverageShortfall(checkCoverage(report), report.minCoverage).length > 0 ? EXIT.coverageShortfall : EXIT.ok;
}

/**
 * Runs a prepared check with its output as the command asks: streamed blocks
 * (check), a table (run, report), or one JSON document; progress on stderr on
 * a terminal; Ctrl-C stops it, keeping what was found. Resolves to the exit
 * code: 2 when an output could not be written (after the results); for
 * check, `checkExitCode`; run and report exit 0 when they ran (130 when
 * interrupted).
 */
export async function runCheckCommand(p: PreparedCheck, out: Printer = new Printer()): Promise<number> {
  const term = terminal(out);
  const cli = invocation();
  const { plan } = p;
  const nameWidth = Math.max(...plan.properties.map((x) => x.name.length));
  const textOptions = { style: term.style, verbose: p.verbose, nameWidth };
  const streaming = p.command === 'check' && !p.json;
  if (streaming && !p.quiet) term.print(checkHeader(emptyReport(p, cli), term.style));
  let stop = false;
  const onSigint = () => {
    stop = true;
    term.progress.clear();
    out.error('connmodel: stopping (Ctrl-C again quits at once) ...\n');
  };
  // Once: a second Ctrl-C ends the process the usual way.
  process.once('SIGINT', onSigint);
  try {
    const report = await runPreparedCheck(
      p,
      {
        progress: (x) => term.showProgress(x),
        finished: (r, _written, sofar) => {
          // Each search ends with one line on stderr: how far, how long, peak memory (a log beside the results).
          if ('exhaustive' in r) {
            term.progress.clear();
            out.error(`${searchSummary(r as ExhaustiveCheckResult)}\n`);
          }
          if (streaming) term.print(p.quiet ? [quietLine(sofar, r, textOptions)] : propertyBlock(sofar, r, textOptions));
        },
      },
      () => stop,
      cli,
    );
    term.progress.clear();
    if (p.json) {
      out.json(checkJson(report));
      // The text report carries the coverage warning; with --json it goes to stderr, for the CI log.
      for (const c of coverageShortfall(checkCoverage(report), report.minCoverage))
        out.error(`warning: ${c.kind} transition coverage below --min-coverage ${Math.round(report.minCoverage! * 100)}%\n`);
    } else if (streaming && !p.quiet) term.print(closingLines(report, term.style, textOptions));
    else if (!streaming) term.print(summaryTable(report, term.style).split('\n').slice(0, -1));
    if (p.report !== null) {
      const written = writeHtmlReport({ check: report, file: p.report, matrix: p.matrix });
      if (!p.json && !p.quiet) term.print([`report: ${written.path} (${(written.bytes / 2 ** 20).toFixed(1)} MB; open it in a browser, no network needed)`]);
    }
    // The results are printed whole even when a file could not be written; then that failure, and exit 2.
    if (report.failure !== null) {
      out.error(`connmodel ${p.command}: ${report.failure.message} (the results above are complete; files from that one on were not written)\n`);
      return EXIT.badInput;
    }
    // Ctrl-C wins: what was found is printed and written, and the partial result says so.
    if (report.interrupted) return EXIT.interrupted;
    return p.command === 'check' ? checkExitCode(report) : EXIT.ok;
  } finally {
    process.removeListener('SIGINT', onSigint);
    term.progress.clear();
  }
}

/** `connmodel check`: exit 0 when nothing failed, 1 on a finding (violated; a bad state reachable), 5 on a coverage shortfall, 130 when interrupted. Bad input throws before anything runs. */
export function checkCommand(argv: string[], out = new Printer()): Promise<number> {
  return runCheckCommand(prepareCheck('check', argv), out);
}

/** `connmodel run` (what `npm start` runs): the whole catalogue, traces to out/, a summary table; exit 0 when it ran. */
export function runCommand(argv: string[], out = new Printer()): Promise<number> {
  return runCheckCommand(prepareCheck('run', argv), out);
}

/** `connmodel report [FILE.html]`: a check, then the self-contained HTML report; exit 0 when it was written. */
export function reportCommand(argv: string[], out = new Printer()): Promise<number> {
  return runCheckCommand(prepareCheck('report', argv), out);
}
