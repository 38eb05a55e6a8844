import type { Transition } from './symbolic.js';

/** Transitions are stored as one int: occurrence (12 bits), pick (10), zone part (5), FIFO variant (5). */
export function pack(t: Transition): number {
  if (t.occ >= 4096 || t.pick >= 1024 || t.part >= 32 || t.variant >= 32) throw new Error(`transition too large to store: ${JSON.stringify(t)}`);
  return t.occ | (t.pick << 12) | (t.part << 22) | (t.variant << 27);
}

export function unpack(x: number): Transition {
  return { occ: x & 4095, pick: (x >>> 12) & 1023, part: (x >>> 22) & 31, variant: (x >>> 27) & 31 };
}
