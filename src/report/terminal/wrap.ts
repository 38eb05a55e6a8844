import { visibleLength } from './style.js';

/**
 * The width to wrap terminal output at: the terminal's, `COLUMNS` when set
 * (a pager, a test), else none (piped output is left unwrapped, one record a
 * line, for grep).
 */
export function outputWidth(stream: { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return stream.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : Number.POSITIVE_INFINITY;
}

/**
 * Wraps one line at `width` on spaces; continuation lines start with
 * `indent` spaces (so a trace step's text lines up under itself). A word
 * longer than the room left is cut (a connection list has no spaces to wrap at
 * only rarely). Colour codes do not count towards the width.
 */
export function wrapLine(line: string, width: number, indent: number): string[] {
  if (!Number.isFinite(width) || visibleLength(line) <= width) return [line];
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 20)));
  const lead = /^ */.exec(line)![0];
  const words = line.slice(lead.length).split(' ');
  const out: string[] = [];
  let current = lead;
  let fresh = true;
  for (const word of words) {
    const sep = fresh ? '' : ' ';
    if (!fresh && visibleLength(current) + 1 + visibleLength(word) > width) {
      out.push(current);
      current = pad;
      fresh = true;
    }
    let w = fresh ? word : `${sep}${word}`;
    // A word wider than a whole line: cut it into pieces that fit.
    while (visibleLength(current) + visibleLength(w) > width && visibleLength(current) < width && w.length > width - visibleLength(current)) {
      const room = width - visibleLength(current);
      out.push(current + w.slice(0, room));
      current = pad;
      w = w.slice(room);
    }
    current += w;
    fresh = false;
  }
  out.push(current);
  return out;
}

/** `wrapLine` over several lines. */
export function wrapLines(lines: readonly string[], width: number, indentOf: (line: string) => number = (l) => /^ */.exec(l)![0].length + 2): string[] {
  return lines.flatMap((l) => wrapLine(l, width, indentOf(l)));
}
