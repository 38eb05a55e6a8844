import { parseArgs } from 'node:util';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import type { Property } from '../explore/property.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { resolveTopology } from '../topologyFile/resolve.js';
import { saveCounterexamples, type SavedCounterexample } from '../report/counterexamples.js';
import { check, DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../explore/check.js';
import { checkCoverage, checkJson, checkText, coverageShortfall, failed, summaryTable, type CheckReportInput } from './checkReport.js';
import { nameList, outDirectory, parseCommand, wholeNumber } from './options.js';
import { DEFAULT_EXHAUSTIVE_OPTIONS, TIME_ABSTRACTIONS, type ExhaustiveOptions, type TimeAbstraction } from '../explore/exhaustive/index.js';
import { runExhaustiveChecks } from '../explore/exhaustive/runner.js';
import { InputError } from '../../models/inputError.js';
import { reportFailure } from './failure.js';
import { parseParamSpec, withParam } from '../sweep/params.js';

export const checkUsage = `connmodel check [--topology NAME|FILE] [--param TIER.PARAM=VALUE]... [--property NAME[,NAME]] [--runs N] [--seed N]
                [--clients N] [--requests N] [--json] [--out DIR | --no-out] [--min-coverage PERCENT]
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
  exhaustive: { type: 'boolean' },
  depth: { type: 'string' },
  'max-states': { type: 'string' },
  'no-symmetry': { type: 'boolean' },
  time: { type: 'string' },
  'all-facets': { type: 'boolean' },
  'min-coverage': { type: 'string' },
  param: { type: 'string', multiple: true },
} as const;

/** Exit code of a check whose properties all pass but whose exploration left a machine below `--min-coverage`. */
export const EXIT_COVERAGE = 4;

/** `--min-coverage 80` (or `80%`): a share of transitions, 0..1. */
function minCoverageOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(value);
  const n = m ? Number(m[1]) : Number.NaN;
  if (!(n >= 0 && n <= 100)) throw new InputError(`--min-coverage must be a percentage from 0 to 100, found '${value}'`);
  return n / 100;
}

/** Parses and validates everything before any work is done or any file written. */
export function prepareCheck(command: string, argv: string[]) {
  const { values } = parseCommand(command, checkOptions, () => parseArgs({ args: argv, options: checkOptions, strict: true }));
  // --param: the topology with some parameters changed (what a sweep's counterexample is reproduced with).
  const topology = (values.param ?? []).reduce((t, spec) => {
    const p = parseParamSpec(t, spec);
    if (p.values.length !== 1) throw new InputError(`--param ${spec}: check takes one value per parameter (connmodel sweep takes several)`);
    return withParam(t, p.tier, p.param, p.values[0]);
  }, resolveTopology(values.topology ?? defaultTopology));
  const names = nameList(values.property);
  const asked = names.length > 0 ? names.map(propertyNamed) : [...catalogue];
  const searchable = (p: Property) => p.capabilities.exhaustive;
  if (values.exhaustive && command === 'run') throw new InputError('connmodel run does not take --exhaustive; use connmodel check --exhaustive');
  if (values.exhaustive && names.length > 0 && !asked.every(searchable))
    throw new InputError(
      `--exhaustive cannot check ${asked.filter((p) => !searchable(p)).map((p) => p.name).join(', ')} (its monitor keeps event times; see docs/exhaustive.md); it can check: ${catalogue.filter(searchable).map((p) => p.name).join(', ')}`,
    );
  const properties = values.exhaustive ? asked.filter(searchable) : asked;
  const options: CheckOptions = {
    ...DEFAULT_CHECK_OPTIONS,
    runs: wholeNumber('runs', values.runs, DEFAULT_CHECK_OPTIONS.runs, 1, 10_000_000),
    seed: wholeNumber('seed', values.seed, DEFAULT_CHECK_OPTIONS.seed, -(2 ** 31), 2 ** 31 - 1),
    // Unset: each property explores the topology's bounds, or the larger ones it asks for.
    clients: values.clients === undefined ? undefined : wholeNumber('clients', values.clients, topology.bounds.clients, 1, 64),
    requests: values.requests === undefined ? undefined : wholeNumber('requests', values.requests, topology.bounds.requests, 1, 1000),
  };
  const outDir = values['no-out'] ? null : outDirectory(values.out ?? 'out');
  if (values.exhaustive && values['min-coverage'] !== undefined)
    throw new InputError('--min-coverage applies to random exploration (exhaustive search does not measure machine coverage); drop --exhaustive or --min-coverage');
  if (!values.exhaustive && (values.depth || values['max-states'] || values['no-symmetry'] || values.time || values['all-facets']))
    throw new InputError('--depth, --max-states, --no-symmetry, --time and --all-facets apply to --exhaustive only; add --exhaustive');
  if (values.time !== undefined && !(TIME_ABSTRACTIONS as readonly string[]).includes(values.time))
    throw new InputError(`--time must be one of ${TIME_ABSTRACTIONS.join(', ')}, found '${values.time}'`);
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
    'connmodel check',
    `--topology ${values.topology ?? defaultTopology}`,
    ...(values.param ?? []).map((s) => `--param ${s}`),
    `--runs ${options.runs}`,
    `--seed ${options.seed}`,
    ...(values.clients ? [`--clients ${options.clients}`] : []),
    ...(values.requests ? [`--requests ${options.requests}`] : []),
  ].join(' ');
  return { topology, properties, options, outDir, json: values.json === true, rerun, exhaustive, minCoverage: minCoverageOf(values['min-coverage']) };
}

export function runChecks(prepared: ReturnType<typeof prepareCheck>): CheckReportInput {
  const { topology, properties, options, outDir, rerun, minCoverage } = prepared;
  const results = properties.map((p) => check(topology, p, options));
  const saved = new Map<string, SavedCounterexample[]>();
  if (outDir !== null)
    results.forEach((r, i) => saved.set(r.property, saveCounterexamples(outDir, topology, properties[i]!, r, options)));
  return { topology, results, saved, options, rerun, minCoverage };
}

/** The exit code of a check: 1 on a finding, else 4 when coverage fell short of `--min-coverage`, else 0. */
export function checkExitCode(report: CheckReportInput): number {
  if (report.results.some(failed)) return 1;
  return coverageShortfall(checkCoverage(report), report.minCoverage).length > 0 ? EXIT_COVERAGE : 0;
}

/** `connmodel check`: exit 0 when nothing failed, 1 on a finding (violated; a bad state reachable), 4 on a coverage shortfall. */
export function checkCommand(argv: string[]): number {
  const prepared = prepareCheck('check', argv);
  if (prepared.exhaustive) {
    // The search runs after this returns, outside cli.ts's try/catch: report failures the same way here.
    exhaustiveCommand(prepared, prepared.exhaustive).then(
      (code) => (process.exitCode = code),
      (e: unknown) => (process.exitCode = reportFailure(e)),
    );
    return 0;
  }
  const report = runChecks(prepared);
  process.stdout.write(prepared.json ? `${JSON.stringify(checkJson(report))}\n` : checkText(report));
  // The text report carries the warning; with --json it goes to stderr, for the CI log.
  if (prepared.json)
    for (const c of coverageShortfall(checkCoverage(report), report.minCoverage))
      process.stderr.write(`warning: ${c.kind} transition coverage below --min-coverage ${Math.round(report.minCoverage! * 100)}%\n`);
  return checkExitCode(report);
}

/** `connmodel check --exhaustive ...`, awaited: its exit code (for tests and embedding). */
export async function checkExhaustiveCommand(argv: string[]): Promise<number> {
  const prepared = prepareCheck('check', argv);
  if (!prepared.exhaustive) throw new InputError('checkExhaustiveCommand needs --exhaustive');
  return exhaustiveCommand(prepared, prepared.exhaustive);
}

/**
 * `check --exhaustive`: breadth-first search instead of random exploration.
 * It runs asynchronously (progress on a terminal, Ctrl-C prints the summary
 * so far) and resolves to the exit code: 1 violated, 0 otherwise (holds, or
 * undecided: nothing found, nothing proved), 130 interrupted with nothing found.
 */
async function exhaustiveCommand(prepared: ReturnType<typeof prepareCheck>, exhaustive: Partial<ExhaustiveOptions>): Promise<number> {
  const { topology, properties, options, outDir } = prepared;
  const { results, interrupted } = await runExhaustiveChecks(topology, properties, exhaustive);
  const saved = new Map<string, SavedCounterexample[]>();
  if (outDir !== null)
    results.forEach((r, i) => {
      const steps = (r.counterexample ?? r.witness)?.steps ?? 0;
      saved.set(r.property, saveCounterexamples(outDir, topology, properties[i]!, r, { maxSteps: Math.max(options.maxSteps, steps + 1) }));
    });
  const rerun = `${prepared.rerun.replace(/ --runs \d+ --seed -?\d+/, '')} --exhaustive`;
  const report: CheckReportInput = { topology, results, saved, options, rerun };
  process.stdout.write(prepared.json ? `${JSON.stringify(checkJson(report))}\n` : checkText(report));
  return results.some(failed) ? 1 : interrupted ? 130 : 0;
}

/** `connmodel run` (what `npm start` runs): the whole catalogue, traces to out/, a summary table; exit 0 when it ran. */
export function runCommand(argv: string[]): number {
  const prepared = prepareCheck('run', argv);
  const report = runChecks(prepared);
  process.stdout.write(prepared.json ? `${JSON.stringify(checkJson(report))}\n` : summaryTable(report));
  return 0;
}
