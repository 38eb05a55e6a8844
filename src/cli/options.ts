import { parseArgs } from 'node:util';
import { InputError } from '../../models/inputError.js';

type OptionSpecs = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

/** The parsed values of options `O`, typed as node's parseArgs gives them. */
export type OptionValues<O extends OptionSpecs> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? (O[K] extends { multiple: true } ? boolean[] : boolean) : O[K] extends { multiple: true } ? string[] : string;
};

/**
 * Parses a command's options strictly: an unknown option, an option given
 * twice (unless it takes a list), an empty value or a missing one is one
 * clear InputError naming the allowed options.
 */
export function parseCommand<const O extends OptionSpecs>(options: O, argv: string[], allowPositionals = false): { values: OptionValues<O>; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals, tokens: true });
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
    throw new InputError(`${msg}; allowed options: ${allowed || 'none'}`);
  }
  const given = new Map<string, number>();
  for (const t of parsed.tokens) {
    if (t.kind === 'option') {
      given.set(t.name, (given.get(t.name) ?? 0) + 1);
      if (t.value === '') throw new InputError(`--${t.name} needs a value, found an empty string`);
    } else if (t.kind === 'positional' && t.value === '') throw new InputError('found an empty argument; name a file');
  }
  for (const [name, n] of given)
    if (n > 1 && !options[name]?.multiple) throw new InputError(`--${name} is given ${n} times; give it once`);
  return { values: parsed.values as OptionValues<O>, positionals: parsed.positionals };
}

/** Refuses options that exclude each other (`--out` and `--no-out`), when both are given. */
export function exclusive(values: Record<string, unknown>, a: string, b: string, why = 'give one'): void {
  if (values[a] !== undefined && values[a] !== false && values[b] !== undefined && values[b] !== false)
    throw new InputError(`--${a} and --${b} exclude each other; ${why}`);
}

const MAX_OPTION_VALUE = Number.MAX_SAFE_INTEGER;

/** A whole number within [min, max] from an option value, or an InputError naming the option. */
export function wholeNumber(option: string, value: string | undefined, fallback: number, min: number, max = MAX_OPTION_VALUE): number {
  if (value === undefined) return fallback;
  const range = max === MAX_OPTION_VALUE ? `at least ${min}` : `from ${min} to ${max}`;
  if (!/^-?\d+$/.test(value.trim())) throw new InputError(`--${option} must be a whole number ${range}, found '${value}'`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(`--${option} must be a whole number ${range}, found ${value.trim()}`);
  return n;
}

/** `a,b` or repeated options -> a flat list of names; an empty name or one named twice is an InputError. */
export function nameList(option: string, values: string | string[] | undefined): string[] {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  const names: string[] = [];
  for (const v of list)
    for (const raw of v.split(',')) {
      const name = raw.trim();
      if (name === '') throw new InputError(`--${option} has an empty name in '${v}'; names are separated by single commas`);
      if (names.includes(name)) throw new InputError(`--${option} names '${name}' twice`);
      names.push(name);
    }
  return names;
}
