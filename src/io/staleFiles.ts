import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError, osReason } from './errors.js';

/**
 * Removes the files in `dir` that `ours` recognises as outputs of a kind this
 * run writes but that it did not write (`keep`): what an earlier run left
 * under the same names would otherwise be taken for this run's. Nothing else
 * in the directory is touched. Returns the paths removed.
 */
export function removeStaleFiles(dir: string, ours: (name: string) => boolean, keep: ReadonlySet<string>): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw OutputError.failed(dir, e, 'list');
  }
  const removed: string[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (!ours(name) || keep.has(path)) continue;
    try {
      unlinkSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw OutputError.failed(path, `${osReason(e)} (a file an earlier run left under this run's names)`, 'remove');
    }
    removed.push(path);
  }
  return removed;
}
