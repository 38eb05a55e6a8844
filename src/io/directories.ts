import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { OutputError } from './errors.js';

/** The closest path at or above `path` that exists (the root always does): a directory, something else, or one that cannot be looked at. */
export function nearestExisting(path: string): { path: string; kind: 'directory' | 'other' | 'unreachable'; error?: unknown } {
  let p = resolve(path);
  for (;;) {
    try {
      return { path: p, kind: statSync(p).isDirectory() ? 'directory' : 'other' };
    } catch (e) {
      const parent = dirname(p);
      // Not there (or a file on the way, ENOTDIR): climb. Anything else (EACCES) is the answer.
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === p) return { path: p, kind: 'unreachable', error: e };
      p = parent;
    }
  }
}

/**
 * `mkdir -p`, one level at a time. Node's `mkdirSync(dir, { recursive: true })`
 * spins forever on some paths (`/proc/x`: mkdir says ENOENT for ever), so it is
 * not used. Throws an OutputError naming `shown` (the path as the user gave it).
 */
export function makeDirectories(dir: string, shown: string = dir): void {
  const at = nearestExisting(dir);
  if (at.kind === 'unreachable') throw OutputError.failed(shown, at.error);
  if (at.kind === 'other') throw OutputError.failed(shown, `'${at.path}' is a file, not a directory`);
  let p = at.path;
  for (const part of relative(at.path, resolve(dir)).split(sep).filter(Boolean)) {
    p = join(p, part);
    try {
      mkdirSync(p);
    } catch (e) {
      // Made by someone else meanwhile: fine, as long as it is a directory.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && nearestExisting(p).kind === 'directory') continue;
      throw OutputError.failed(shown, e);
    }
  }
}
