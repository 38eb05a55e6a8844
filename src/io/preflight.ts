import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { nearestExisting } from './directories.js';
import { OutputError, osReason } from './errors.js';

/**
 * Checks, before any work, that an output directory can be written: what
 * exists of it is a directory, and a file can be created in it (or in its
 * nearest existing parent, when it is still to be made). Permissions alone
 * would not tell: root ignores them, and a read-only mount or /proc says no
 * only when asked to create. The probe file is removed at once; nothing else
 * is created. `label` names it in messages (`--out 'traces'`).
 */
export function preflightDirectory(dir: string, label = `'${dir}'`): void {
  const at = nearestExisting(dir);
  if (at.kind === 'unreachable') throw new OutputError(`${label}: cannot be reached: ${osReason(at.error)}`, dir);
  if (at.kind === 'other')
    throw new OutputError(
      at.path === resolve(dir) ? `${label} is a file; it must be a directory (created if missing)` : `${label}: '${at.path}' is a file, not a directory`,
      dir,
    );
  probe(at.path, dir, label);
}

/** The same for an output file (`--doc`, `init FILE`): it is not a directory, and its directory can be written. */
export function preflightFile(path: string, label = `'${path}'`): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // not there yet, or not reachable: the directory's check says why
  }
  if (isDirectory) throw new OutputError(`${label} is a directory; name a file`, path);
  preflightDirectory(dirname(resolve(path)), label);
}

let probes = 0;

function probe(dir: string, target: string, label: string): void {
  const file = join(dir, `.connmodel-probe-${process.pid}-${probes++}`);
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    throw new OutputError(`${label} cannot be written: creating a file in '${dir}' fails: ${osReason(e)}`, target);
  }
  closeSync(fd);
  unlinkSync(file);
}
