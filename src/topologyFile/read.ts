import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../../models/inputError.js';
import { TopologyFileError } from './problems.js';
import { MAX_FILE_BYTES } from './text.js';

/** Does this `--topology` / `extends` value name a file rather than a shipped topology? */
export function isTopologyPath(arg: string): boolean {
  return /\.(ya?ml|json)$/i.test(arg) || arg.includes('/') || arg.includes('\\');
}

/** The name a file's topology gets when it names none: its file name without the extension, as a valid name. */
export function defaultNameFor(source: string): string {
  const stem = basename(source).replace(/\.(ya?ml|json)$/i, '');
  const clean = stem.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return clean.length > 0 ? clean : 'topology';
}

export function formatOf(source: string): 'yaml' | 'json' {
  return /\.json$/i.test(source) ? 'json' : 'yaml';
}

/**
 * The text of a topology file. Throws an InputError when it cannot be read
 * (missing, a directory), a TopologyFileError when it is too large.
 */
export function readTopologyFile(path: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`topology file '${path}' is a directory`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(
      code === 'ENOENT'
        ? `topology file '${path}' not found${/\.ya?ml$/i.test(path) ? `; to write a commented starter file there: connmodel init ${path}` : ''}`
        : `cannot read topology file '${path}' (${code ?? (e as Error).message})`,
    );
  }
  if (size > MAX_FILE_BYTES)
    throw new TopologyFileError(path, [{ source: path, path: [], message: `the file is ${Math.ceil(size / 1024)} KiB; a topology file may be at most ${MAX_FILE_BYTES / 1024} KiB` }]);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read topology file '${path}' (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}
