import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { InputError } from '../../models/inputError.js';
import { osReason } from './errors.js';

/** A file that holds more than its limit: said by callers in their own words (a topology file lists it as a problem). */
export class FileTooLargeError extends InputError {
  constructor(
    readonly path: string,
    readonly what: string,
    readonly maxBytes: number,
  ) {
    super(`${what} '${path}' is larger than ${formatBytes(maxBytes)}; ${what}s are at most that`);
  }
}

export const formatBytes = (n: number) => (n >= 2 ** 20 && n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : n >= 1024 && n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`);

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export interface ReadOptions {
  /** How messages call the file: `topology file`, `trace file`. */
  what: string;
  maxBytes: number;
  /** Added to the "not found" message: what to do about it. */
  notFoundHint?: string;
}

/**
 * The bytes of a regular file, at most `maxBytes` of them, counted as they are
 * read (a size from `stat` says nothing about /dev/zero or a file that grows).
 * Anything but a regular file (a device, a pipe, a directory) is refused
 * before a byte is read; opening does not block on a pipe (O_NONBLOCK).
 * Every failure is an InputError naming the path and the reason.
 */
export function readRegularFile(path: string, o: ReadOptions): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${o.what} '${path}' not found${o.notFoundHint ? `; ${o.notFoundHint}` : ''}`);
    throw new InputError(`cannot read ${o.what} '${path}': ${osReason(e)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${o.what} '${path}' is ${kindOf(st)}; connmodel reads only regular files`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the limit tells "too large" from "exactly at the limit".
      const chunk = Buffer.allocUnsafe(Math.min(1 << 16, o.maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        throw new InputError(`cannot read ${o.what} '${path}': ${osReason(e)}`);
      }
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > o.maxBytes) throw new FileTooLargeError(path, o.what, o.maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The text of a regular file (UTF-8), bounded as `readRegularFile` reads. */
export function readRegularText(path: string, o: ReadOptions): string {
  return readRegularFile(path, o).toString('utf8');
}
