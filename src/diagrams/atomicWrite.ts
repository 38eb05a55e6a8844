import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes bytes atomically (temp file + rename), as trace/file.ts's
 * writeTextAtomic does for text: a crash mid-render never leaves half an
 * image behind.
 */
export function writeBytesAtomic(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
