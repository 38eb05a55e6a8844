/**
 * Colour for terminal output, and nothing else: the words stay the same with
 * or without it, so piped output is the coloured output minus escape codes.
 */
export interface Style {
  readonly color: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/**
 * connmodel's own colour codes are written as marks (private-use characters
 * around the SGR number), not as raw escape sequences: the printer escapes
 * every control character in the text, which may quote a trace or a file,
 * and only then turns these marks into SGR sequences (`sgrFromMarks`). So a
 * trace can never reach the terminal with an escape sequence of its own.
 */
const MARK_OPEN = '\ue000';
const MARK_CLOSE = '\ue001';
const mark = (code: number) => `${MARK_OPEN}${code}${MARK_CLOSE}`;
const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `${mark(open)}${s}${mark(close)}`);

export const COLOR: Style = {
  color: true,
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

const same = (s: string) => s;
export const PLAIN: Style = { color: false, bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };

/**
 * Colour on a terminal, never when piped or when `NO_COLOR` is set (to
 * anything but the empty string: no-color.org); `FORCE_COLOR` (not `0`)
 * asks for it anyway, e.g. under a pager.
 */
export function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

const MARKS = /\ue000(\d+)\ue001/g;

/** A string's width on screen: without colour codes. */
export function visibleLength(s: string): number {
  return s.replace(MARKS, '').length;
}

/** The colour marks as the terminal's SGR escape sequences (after everything else was escaped). */
export function sgrFromMarks(s: string): string {
  return s.includes(MARK_OPEN) ? s.replace(MARKS, '\x1b[$1m') : s;
}

/** The text without colour. */
export function withoutMarks(s: string): string {
  return s.includes(MARK_OPEN) ? s.replace(MARKS, '') : s;
}
