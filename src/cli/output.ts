import { sgrFromMarks } from '../report/terminal/style.js';
import { escapeUnprintable, printable } from './printable.js';

/** Where a command's output goes: the process's streams, or a test's buffers. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal (progress lines are drawn there). */
  tty: boolean;
  /** stdout is a terminal (colour, wrapping at its width). */
  stdoutTTY?: boolean;
  /** Columns of stdout's and stderr's terminals, when they are terminals. */
  columns?: number;
  stderrColumns?: number;
}

export const processIO: CliIO = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  get tty() {
    return process.stderr.isTTY === true;
  },
  get stdoutTTY() {
    return process.stdout.isTTY === true;
  },
  get columns() {
    return process.stdout.columns;
  },
  get stderrColumns() {
    return process.stderr.columns;
  },
};

/**
 * Everything a command prints goes through here, so that nothing from
 * outside reaches the terminal raw (printable.ts): text is escaped and
 * overlong lines cut; JSON is escaped only (it stays valid JSON).
 */
export class Printer {
  constructor(readonly io: CliIO = processIO) {}

  /** Text on stdout; connmodel's own colour marks become colour (report/terminal/style.ts), nothing else does. */
  text(text: string): void {
    this.io.stdout(sgrFromMarks(printable(text)));
  }

  /** One JSON document on stdout. */
  json(value: unknown, indent?: number): void {
    this.io.stdout(`${escapeUnprintable(JSON.stringify(value, null, indent))}\n`);
  }

  /** Notes, progress and errors on stderr. */
  error(text: string): void {
    this.io.stderr(sgrFromMarks(printable(text)));
  }
}
