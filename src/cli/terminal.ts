import { progressText, ProgressLine } from '../report/terminal/progress.js';
import { COLOR, PLAIN, wantsColor, type Style } from '../report/terminal/style.js';
import { outputWidth, wrapLines } from '../report/terminal/wrap.js';
import type { SessionProgress } from '../report/checkSession.js';
import { Printer } from './output.js';

/** Where a command's human output goes: stdout lines (wrapped, coloured as the environment says) and a progress line on stderr. */
export interface Terminal {
  style: Style;
  width: number;
  progress: ProgressLine;
  /** Prints lines on stdout, wrapped to the width, clearing the progress line first. */
  print(lines: readonly string[]): void;
  showProgress(p: SessionProgress): void;
}

/** A trace step's text starts after `t=…ms  step N  `: wrapped lines continue under it. */
const indentOf = (line: string) => {
  const step = /^(\s*t=\d+ms\s+step \d+\s+)/.exec(line);
  return step ? step[1]!.length : /^ */.exec(line)![0].length + 2;
};

/** A terminal over a printer: everything it prints is escaped there (output.ts); colour and width follow the printer's streams. */
export function terminal(out: Printer = new Printer(), env: NodeJS.ProcessEnv = process.env): Terminal {
  const { io } = out;
  const stdout = { isTTY: io.stdoutTTY === true, columns: io.columns };
  const style = wantsColor(stdout, env) ? COLOR : PLAIN;
  const width = outputWidth(stdout, env);
  // Progress lines are connmodel's own words and redraw themselves with escape sequences: written as they are.
  const progress = new ProgressLine((s) => io.stderr(s), io.tty, 100, io.stderrColumns ?? 0);
  return {
    style,
    width,
    progress,
    print(lines) {
      progress.clear();
      if (lines.length > 0) out.text(`${wrapLines(lines, width, indentOf).join('\n')}\n`);
    },
    showProgress(p) {
      progress.show(progressText(p));
    },
  };
}
