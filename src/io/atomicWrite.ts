import { closeSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { makeDirectories } from './directories.js';
import { OutputError } from './errors.js';

let written = 0;

/**
 * Writes atomically (a temporary file beside it, then a rename): a crash or a
 * full disk never leaves half a file behind, and the temporary file is
 * removed when the write fails. Failures are OutputErrors (exit 2) naming the
 * path and the OS reason.
 */
export function writeTextAtomic(path: string, text: string | Uint8Array): void {
  makeDirectories(dirname(path), dirname(path));
  const tmp = `${path}.tmp-${process.pid}-${written++}`;
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx');
    for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== null)
      try {
        closeSync(fd);
      } catch {
        // the write failed already; that is the error to report
      }
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    throw OutputError.failed(path, e);
  }
}

/** Writes rendered images atomically, like traces: a crash mid-render never leaves half an image. */
export const writeBytesAtomic: (path: string, data: Uint8Array) => void = writeTextAtomic;
