import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { FileTooLargeError, readRegularFile } from '../io/boundedRead.js';
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

/** A topology file as read: its text and the SHA-256 of its bytes (traces record it, so that replay can tell the file changed). */
export interface TopologySource {
  text: string;
  sha256: string;
}

/**
 * Reads a topology file: a regular file of at most MAX_FILE_BYTES, counted as
 * read. Throws an InputError when it cannot be read (missing, a directory, a
 * device), a TopologyFileError when it is too large.
 */
export function readTopologySource(path: string): TopologySource {
  let bytes: Buffer;
  try {
    bytes = readRegularFile(path, {
      what: 'topology file',
      maxBytes: MAX_FILE_BYTES,
      ...(/\.ya?ml$/i.test(path) ? { notFoundHint: `to write a commented starter file there: connmodel init ${path}` } : {}),
    });
  } catch (e) {
    if (e instanceof FileTooLargeError)
      throw new TopologyFileError(path, [{ source: path, path: [], message: `the file is larger than ${MAX_FILE_BYTES / 1024} KiB; a topology file may be at most ${MAX_FILE_BYTES / 1024} KiB` }]);
    throw e;
  }
  return { text: bytes.toString('utf8'), sha256: sha256Of(bytes) };
}

/** The text of a topology file (see readTopologySource). */
export function readTopologyFile(path: string): string {
  return readTopologySource(path).text;
}

export const sha256Of = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
