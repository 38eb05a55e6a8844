import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import type { Property } from '../explore/property.js';
import { defaultTopology } from '../../models/topologies/index.js';
import { resolveTopologySource } from '../topologyFile/resolve.js';
import { saveAllCounterexamples, topologyDirectory, type SavedCounterexample } from '../report/counterexamples.js';
import { check, DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult } from '../explore/check.js';
import { checkJson, checkText, summaryTable, type CheckReportInput } from './checkReport.js';
import { exclusive, nameList, parseCommand, wholeNumber } from './options.js';
import { DEFAULT_EXHAUSTIVE_OPTIONS, TIME_ABSTRACTIONS, type ExhaustiveOptions, type TimeAbstraction } from '../explore/exhaustive/index.js';
import { runExhaustiveChecks } from '../explore/exhaustive/runner.js';
import { InputError } from '../../models/inputError.js';
import type { OutputError } from '../io/errors.js';
import { preflightDirectory } from '../io/preflight.js';
import { EXIT } from './exitCodes.js';
import { Printer } from './output.js';

export const checkUsage = `connmodel check [--topology NAME|FILE] [--property NAME[,NAME]] [--runs N] [--seed N]
                [--clients N] [--requests N] [--json] [--out DIR | --no-out]
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
} as const;

/** Parses and validates everything, and checks that the output directory can be written, before any work is done. */
export function prepareCheck(command: string, argv: string[]) {
  const { values } = parseCommand(checkOptions, argv);
  exclusive(values, 'out', 'no-out', '--no-out writes nothing');
  const { topology, file } = resolveTopologySource(values.topology ?? defaultTopology);
  const names = nameList('property', values.property);
  const asked = names.length > 0 ? names.map(propertyNamed) : [...catalogue];
  const searchable = (p: Property) => p.capabilities.exhaustive;
  if (values.exhaustive && command === 'run') throw new InputError('--exhaustive is for connmodel check (run takes the other check options)');
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
  // Each topology's files in a directory of its own: out/seed/one-to-one.trace.json.
  const outDir = values['no-out'] ? null : topologyDirectory(values.out ?? 'out', topology);
  if (outDir !== null) preflightDirectory(outDir, `--out '${values.out ?? 'out'}'`);
  const rerun = [
    'connmodel check',
    `--topology ${values.topology ?? topology.name}`,
    `--runs ${options.runs}`,
    `--seed ${options.seed}`,
    ...(values.clients ? [`--clients ${options.clients}`] : []),
    ...(values.requests ? [`--requests ${options.requests}`] : []),
  ].join(' ');
  return { topology, topologyFile: file, properties, options, outDir, json: values.json === true, rerun, exhaustive };
}

type Prepared = ReturnType<typeof prepareCheck>;

/** Saves what was found (when asked to); a file that cannot be written stops the saving, not the report. */
function save(prepared: Prepared, results: CheckResult[], maxSteps: (r: CheckResult) => number) {
  if (prepared.outDir === null) return { saved: new Map<string, SavedCounterexample[]>(), failure: null };
  const checked = results.map((result, i) => ({ property: prepared.properties[i]!, result, options: { maxSteps: maxSteps(result), topologyFile: prepared.topologyFile } }));
  return saveAllCounterexamples(prepared.outDir, prepared.topology, checked);
}

export function runChecks(prepared: Prepared): CheckReportInput & { failure: OutputError | null } {
  const { topology, properties, options, rerun } = prepared;
  const results = properties.map((p) => check(topology, p, options));
  const { saved, failure } = save(prepared, results, () => options.maxSteps);
  return { topology, results, saved, options, rerun, failure };
}

/** The report is printed whole even when a file could not be written; then that failure, and exit 2. */
function finish(out: Printer, command: string, failure: OutputError | null, code: number): number {
  if (failure === null) return code;
  out.error(`connmodel ${command}: ${failure.message} (the results above are complete; files from that one on were not written)\n`);
  return EXIT.badInput;
}

/** `connmodel check`: exit 0 when every property holds, 1 when any is violated. `--exhaustive` resolves later. */
export function checkCommand(argv: string[], out = new Printer()): number | Promise<number> {
  const prepared = prepareCheck('check', argv);
  if (prepared.exhaustive) return exhaustiveCommand(prepared, prepared.exhaustive, out);
  const report = runChecks(prepared);
  if (prepared.json) out.json(checkJson(report));
  else out.text(checkText(report));
  return finish(out, 'check', report.failure, report.results.some((r) => r.verdict === 'violated') ? EXIT.violated : EXIT.ok);
}

/** `connmodel check --exhaustive ...`, awaited: its exit code (for tests and embedding). */
export async function checkExhaustiveCommand(argv: string[], out = new Printer()): Promise<number> {
  const prepared = prepareCheck('check', argv);
  if (!prepared.exhaustive) throw new InputError('checkExhaustiveCommand needs --exhaustive');
  return exhaustiveCommand(prepared, prepared.exhaustive, out);
}

/**
 * `check --exhaustive`: breadth-first search instead of random exploration.
 * It runs asynchronously (progress on a terminal, Ctrl-C prints the summary
 * so far) and resolves to the exit code: 1 violated, 0 otherwise (holds, or
 * undecided: nothing found, nothing proved), 130 interrupted with nothing found.
 */
async function exhaustiveCommand(prepared: Prepared, exhaustive: Partial<ExhaustiveOptions>, out: Printer): Promise<number> {
  const { topology, properties, options } = prepared;
  // Progress lines are connmodel's own words (and redraw themselves with escape sequences): written as they are.
  const { results, interrupted } = await runExhaustiveChecks(topology, properties, exhaustive, { tty: out.io.tty, write: (s) => out.io.stderr(s) });
  const { saved, failure } = save(prepared, results, (r) => Math.max(options.maxSteps, ((r.counterexample ?? r.witness)?.steps ?? 0) + 1));
  const rerun = `${prepared.rerun.replace(/ --runs \d+ --seed -?\d+/, '')} --exhaustive`;
  const report: CheckReportInput = { topology, results, saved, options, rerun };
  if (prepared.json) out.json(checkJson(report));
  else out.text(checkText(report));
  const violated = results.some((r) => r.verdict === 'violated');
  return finish(out, 'check', failure, violated ? EXIT.violated : interrupted ? EXIT.interrupted : EXIT.ok);
}

/** `connmodel run` (what `npm start` runs): the whole catalogue, traces to out/, a summary table; exit 0 when it ran. */
export function runCommand(argv: string[], out = new Printer()): number {
  const prepared = prepareCheck('run', argv);
  const report = runChecks(prepared);
  if (prepared.json) out.json(checkJson(report));
  else out.text(summaryTable(report));
  return finish(out, 'run', report.failure, EXIT.ok);
}
