import { parseArgs } from 'node:util';
import { catalogue, propertyNamed } from '../../properties/catalogue.js';
import { defaultTopology, topologyNamed } from '../../models/topologies/index.js';
import { checkAll, saveCounterexamples, type SavedCounterexample } from '../api.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../explore/check.js';
import { checkJson, checkText, summaryTable, type CheckReportInput } from './checkReport.js';
import { nameList, parseCommand, wholeNumber } from './options.js';

export const checkUsage = `connmodel check [--topology NAME] [--property NAME[,NAME]] [--runs N] [--seed N]
                [--clients N] [--requests N] [--json] [--out DIR | --no-out]`;

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
} as const;

/** Parses and validates everything before any work is done or any file written. */
export function prepareCheck(command: string, argv: string[]) {
  const { values } = parseCommand(command, checkOptions, () => parseArgs({ args: argv, options: checkOptions, strict: true }));
  const topology = topologyNamed(values.topology ?? defaultTopology);
  const names = nameList(values.property);
  const properties = names.length > 0 ? names.map(propertyNamed) : [...catalogue];
  const options: CheckOptions = {
    ...DEFAULT_CHECK_OPTIONS,
    runs: wholeNumber('runs', values.runs, DEFAULT_CHECK_OPTIONS.runs, 1, 10_000_000),
    seed: wholeNumber('seed', values.seed, DEFAULT_CHECK_OPTIONS.seed, -(2 ** 31), 2 ** 31 - 1),
    clients: wholeNumber('clients', values.clients, topology.bounds.clients, 1, 64),
    requests: wholeNumber('requests', values.requests, topology.bounds.requests, 1, 1000),
  };
  const outDir = values['no-out'] ? null : (values.out ?? 'out');
  const rerun = [
    'connmodel check',
    `--topology ${topology.name}`,
    `--runs ${options.runs}`,
    `--seed ${options.seed}`,
    ...(values.clients ? [`--clients ${options.clients}`] : []),
    ...(values.requests ? [`--requests ${options.requests}`] : []),
  ].join(' ');
  return { topology, properties, options, outDir, json: values.json === true, rerun };
}

export function runChecks(prepared: ReturnType<typeof prepareCheck>): CheckReportInput {
  const { topology, properties, options, outDir, rerun } = prepared;
  const results = checkAll(topology, properties, options);
  const saved = new Map<string, SavedCounterexample[]>();
  if (outDir !== null)
    results.forEach((r, i) => saved.set(r.property, saveCounterexamples(outDir, topology, properties[i]!, r, options)));
  return { topology, results, saved, options, rerun };
}

/** `connmodel check`: exit 0 when every property holds, 1 when any is violated. */
export function checkCommand(argv: string[]): number {
  const prepared = prepareCheck('check', argv);
  const report = runChecks(prepared);
  process.stdout.write(prepared.json ? `${JSON.stringify(checkJson(report))}\n` : checkText(report));
  return report.results.some((r) => r.verdict === 'violated') ? 1 : 0;
}

/** `connmodel run` (what `npm start` runs): the whole catalogue, traces to out/, a summary table; exit 0 when it ran. */
export function runCommand(argv: string[]): number {
  const prepared = prepareCheck('run', argv);
  const report = runChecks(prepared);
  process.stdout.write(prepared.json ? `${JSON.stringify(checkJson(report))}\n` : summaryTable(report));
  return 0;
}
