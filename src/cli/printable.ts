/**
 * Text from outside (a trace's messages and ids, file names, option values)
 * is printed inert: control characters, which a terminal obeys (an escape
 * sequence can clear the screen or retitle the window), and the invisible
 * characters that reorder text are shown as `\u001b`; one overlong line is cut.
 */

/** C0 controls but tab and newline, DEL and C1 controls, line and paragraph separators, bidirectional marks and overrides. */
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Every unprintable character as its `\uXXXX` escape (in JSON text, where they can only sit inside strings, it stays valid JSON). */
export function escapeUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The longest line printed whole; far above any line connmodel writes itself (about 500 characters). */
export const MAX_LINE = 2000;

/** Each line longer than `max` cut there, with a note of how much was left out. */
export function truncateLines(text: string, max = MAX_LINE): string {
  if (text.length <= max) return text;
  return text
    .split('\n')
    .map((line) => (line.length <= max ? line : `${line.slice(0, max)}… (${(line.length - max).toLocaleString('en-US')} more characters not shown)`))
    .join('\n');
}

/** Text as printed: escaped, then cut. */
export const printable = (text: string) => truncateLines(escapeUnprintable(text));
