import { writeTextAtomic } from '../trace/file.js';

/** Writes rendered images atomically (temp file + rename), like traces: a crash mid-render never leaves half an image. */
export const writeBytesAtomic: (path: string, data: Uint8Array) => void = writeTextAtomic;
