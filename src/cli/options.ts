import { statSync } from 'node:fs';
import { InputError } from '../../models/inputError.js';

/**
 * Runs a node:util `parseArgs` call and turns its errors into one clear
 * InputError naming the allowed options. (The call stays at the caller so that
 * the parsed values keep their precise types.)
 */
export function parseCommand<T>(command: string, options: object, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const allowed = Object.keys(options)
      .map((o) => `--${o}`)
      .join(', ');
    const lines = (e as Error).message.split('\n');
    // Keep node's hint for values that start with a dash (`--seed=-5`); drop the rest of its advice.
    const dashHint = lines.find((l) => l.startsWith('To specify an option argument starting with a dash'));
    const msg = [lines[0]!.replace(/\. To specify a positional argument.*$/, '').replace(/[.;]+$/, ''), dashHint?.replace(/\.$/, '')]
      .filter(Boolean)
      .join(': ');
    throw new InputError(`connmodel ${command}: ${msg}; allowed options: ${allowed || 'none'}`);
  }
}

/** A whole number within [min, max] from an option value, or an InputError naming the option. */
export function wholeNumber(option: string, value: string | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^-?\d+$/.test(value.trim())) throw new InputError(`--${option} must be a whole number, found '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(`--${option} must be between ${min} and ${max}, found ${n}`);
  return n;
}

/** `a,b` or repeated options -> a flat list of names. */
export function nameList(values: string | string[] | undefined): string[] {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
}

/** An output directory from --out: an existing file there is bad input (said before anything is written). */
export function outDirectory(dir: string): string {
  let isDir = true;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return dir; // created when written
  }
  if (!isDir) throw new InputError(`--out ${dir} is a file; it must be a directory (created if missing)`);
  return dir;
}
