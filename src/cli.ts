#!/usr/bin/env node
import { InputError } from '../models/inputError.js';
import { reportFailure } from './cli/failure.js';
import { checkCommand, checkUsage, reportCommand, runCommand } from './cli/checkCommand.js';
import { diagramsAbout, diagramsCommand, diagramsUsage } from './cli/diagramsCommand.js';
import { initCommand, initUsage } from './cli/initCommand.js';
import { matrixAbout, matrixCommand, matrixUsage } from './cli/matrixCommand.js';
import { replayCommand, replayUsage } from './cli/replayCommand.js';
import { sweepAbout, sweepCommand, sweepUsage } from './cli/sweepCommand.js';
import { topologiesCommand, topologiesUsage } from './cli/topologiesCommand.js';
import { versionLine } from './cli/version.js';

/** The command line: a thin layer over the library (src/index.ts). */
const commands: Record<string, { run: (argv: string[]) => number | Promise<number>; usage: string; about: string }> = {
  check: {
    run: checkCommand,
    usage: checkUsage,
    about: 'check properties by random exploration; results print as each property finishes; exit 1 when any is violated, 130 on Ctrl-C (what was found is kept)',
  },
  run: { run: runCommand, usage: 'connmodel run [check options]', about: 'the main job (npm start): the catalogue on a topology, traces to out/, a summary table' },
  report: {
    run: reportCommand,
    usage: 'connmodel report [FILE.html] [check options] [--matrix M.json]',
    about: 'check, then write one self-contained HTML report (default out/report.html): summary, diagrams, a step-through explorer of every counterexample',
  },
  replay: { run: replayCommand, usage: replayUsage, about: 're-execute a saved trace and fail loudly if anything differs' },
  matrix: { run: matrixCommand, usage: matrixUsage, about: matrixAbout },
  sweep: { run: sweepCommand, usage: sweepUsage, about: sweepAbout },
  diagrams: { run: diagramsCommand, usage: diagramsUsage, about: diagramsAbout },
  topologies: { run: topologiesCommand, usage: topologiesUsage, about: 'list the shipped topologies; with a NAME or FILE, print that topology in full as a topology file' },
  init: { run: initCommand, usage: initUsage, about: 'write a commented starter topology file (the seed pipeline) to edit into your own; never overwrites without --force' },
};

function usage(): string {
  const lines = ['usage:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${c.usage}`, `      ${c.about}`, '');
  lines.push(
    'Options for every command: --help, --version. Colour on a terminal; NO_COLOR=1 turns it off.',
    'Exit codes: 0 nothing failed (or the command ran), 1 a property is violated, a bad state is reachable, or a replay differs, 2 bad input, 3 internal error (a bug: please report it with the command), 4 check --min-coverage: a machine\'s transition coverage fell short, 130 stopped by Ctrl-C.',
  );
  return lines.join('\n');
}

function main(argv: string[]): number | Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version' || rest.includes('--version')) {
    process.stdout.write(`${versionLine()}\n`);
    return 0;
  }
  if (name === undefined) {
    process.stderr.write(`${usage()}\n`); // no command is bad input: usage goes to stderr, exit 2
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) throw new InputError(`unknown command '${name}'; allowed: ${Object.keys(commands).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`usage:\n  ${command.usage}\n      ${command.about}\n`);
    return 0;
  }
  return command.run(rest);
}

// Output piped into `head` or a pager that quit: stop quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

// A command's work may finish after main returns (check, report): its promise sets the exit code.
new Promise<number>((resolve) => resolve(main(process.argv.slice(2)))).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportFailure(e);
  },
);
