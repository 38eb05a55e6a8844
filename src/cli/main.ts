import { InputError } from '../../models/inputError.js';
import { checkCommand, checkUsage, reportCommand, runCommand } from './checkCommand.js';
import { diagramsAbout, diagramsCommand, diagramsUsage } from './diagramsCommand.js';
import { EXIT, EXIT_CODES_HELP } from './exitCodes.js';
import { reportFailure } from './failure.js';
import { initCommand, initUsage } from './initCommand.js';
import { matrixAbout, matrixCommand, matrixUsage } from './matrixCommand.js';
import { processIO, Printer, type CliIO } from './output.js';
import { replayCommand, replayUsage } from './replayCommand.js';
import { simulateAbout, simulateCommand, simulateUsage } from './simulateCommand.js';
import { sweepAbout, sweepCommand, sweepUsage } from './sweepCommand.js';
import { topologiesCommand, topologiesUsage } from './topologiesCommand.js';
import { versionLine } from './version.js';

interface Command {
  run: (argv: string[], out: Printer) => number | Promise<number>;
  usage: string;
  about: string;
}

const commands: Record<string, Command> = {
  check: {
    run: checkCommand,
    usage: checkUsage,
    about:
      'check properties by random exploration; results print as each property finishes; exit 1 on a finding (violated, a bad state reachable), 5 on a coverage shortfall (--min-coverage), 130 on Ctrl-C (what was found is kept)',
  },
  run: { run: runCommand, usage: 'connmodel run [check options]', about: 'the main job (npm start): the catalogue on a topology, traces to out/<topology>/, a summary table' },
  report: {
    run: reportCommand,
    usage: 'connmodel report [FILE.html] [check options] [--matrix M.json]',
    about: 'check, then write one self-contained HTML report (default out/<topology>/report.html): summary, diagrams, a step-through explorer of every counterexample',
  },
  replay: { run: replayCommand, usage: replayUsage, about: 're-execute a saved trace and fail loudly if anything differs' },
  matrix: { run: matrixCommand, usage: matrixUsage, about: matrixAbout },
  simulate: { run: simulateCommand, usage: simulateUsage, about: simulateAbout },
  sweep: { run: sweepCommand, usage: sweepUsage, about: sweepAbout },
  diagrams: { run: diagramsCommand, usage: diagramsUsage, about: diagramsAbout },
  topologies: { run: topologiesCommand, usage: topologiesUsage, about: 'list the shipped topologies; with a NAME or FILE, print that topology in full as a topology file' },
  init: { run: initCommand, usage: initUsage, about: 'write a commented starter topology file (the seed pipeline) to edit into your own; never overwrites without --force' },
};

export function usage(): string {
  const lines = ['usage:'];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage}`, `      ${c.about}`, '');
  lines.push('Options for every command: --help, --version. Colour on a terminal; NO_COLOR=1 turns it off.', '', EXIT_CODES_HELP);
  return lines.join('\n');
}

/**
 * The command line, in-process: runs `argv` (without `node connmodel`),
 * writing to `io`, and resolves to the exit code. Never throws: a failure is
 * reported on `io`'s stderr and becomes its exit code (failure.ts).
 */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  const out = new Printer(io);
  const [name, ...rest] = argv;
  const command = name !== undefined && Object.hasOwn(commands, name) ? commands[name] : undefined;
  try {
    if (name === '--version' || name === '-V' || name === 'version' || rest.includes('--version')) {
      out.text(`${versionLine()}\n`);
      return EXIT.ok;
    }
    if (name === undefined) {
      out.error(`${usage()}\n`); // no command is bad input: usage goes to stderr, exit 2
      return EXIT.badInput;
    }
    if (name === 'help' || name === '--help' || name === '-h') {
      out.text(`${usage()}\n`);
      return EXIT.ok;
    }
    if (!command) throw new InputError(`unknown command '${name}'; allowed: ${Object.keys(commands).join(', ')}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      out.text(`usage:\n  ${command.usage}\n      ${command.about}\n\n${EXIT_CODES_HELP}\n`);
      return EXIT.ok;
    }
    return await command.run(rest, out);
  } catch (e) {
    return reportFailure(e, out, command ? name : undefined);
  }
}
