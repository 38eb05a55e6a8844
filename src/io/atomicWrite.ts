import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Writes atomically (temp file + rename): a crash never leaves half a trace (or image) behind. */
export function writeTextAtomic(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes rendered images atomically, like traces: a crash mid-render never leaves half an image. */
export const writeBytesAtomic: (path: string, data: Uint8Array) => void = writeTextAtomic;
