/**
 * The visited set of exhaustive search: 64-bit fingerprints in an
 * open-addressing table (linear probing) over two Uint32Arrays, 8 bytes per
 * slot, kept at most half full: 16 bytes per state. (JSON strings in a Set
 * cost hundreds of bytes per state.) As in SPIN's hash-compact mode and TLC's
 * fingerprint set, two distinct states may share a fingerprint and one would
 * then be missed; `collisionProbability` estimates the chance of any such
 * collision among the states stored.
 */
export class FingerprintSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** Entry numbers (in order of insertion), for data kept beside the set. */
  private ids: Int32Array;
  private mask: number;
  size = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 1 << 4;
    while (cap < initialCapacity) cap <<= 1;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get capacity(): number {
    return this.mask + 1;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.hi.byteLength + this.lo.byteLength + this.ids.byteLength;
  }

  /** Adds a fingerprint; returns false when it was already there. */
  add(hi: number, lo: number): boolean {
    return this.addOrGet(hi, lo) >= 0;
  }

  /** Adds a fingerprint and returns its entry number, or -(entry + 1) when it was already there. */
  addOrGet(hi: number, lo: number): number {
    if (hi === 0 && lo === 0) lo = 1; // (0, 0) marks an empty slot
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[i]!;
      const l = this.lo[i]!;
      if (h === 0 && l === 0) break;
      if (h === hi && l === lo) return -this.ids[i]! - 1;
      i = (i + 1) & this.mask;
    }
    const id = this.size;
    this.put(i, hi, lo, id);
    if (this.size * 2 > this.capacity) this.grow();
    return id;
  }

  private put(i: number, hi: number, lo: number, id: number): void {
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.ids[i] = id;
    this.size++;
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[i]!;
      const l = this.lo[i]!;
      if (h === 0 && l === 0) return false;
      if (h === hi && l === lo) return true;
      i = (i + 1) & this.mask;
    }
  }

  /** Every fingerprint stored, as [hi, lo] (tests compare state spaces). */
  *entries(): Generator<[number, number]> {
    for (let k = 0; k < this.hi.length; k++) if (this.hi[k] !== 0 || this.lo[k] !== 0) yield [this.hi[k]!, this.lo[k]!];
  }

  private grow(): void {
    const { hi, lo, ids } = this;
    const cap = this.capacity * 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.ids = new Int32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    for (let k = 0; k < hi.length; k++) {
      const h = hi[k]!;
      const l = lo[k]!;
      if (h === 0 && l === 0) continue;
      let i = (l ^ Math.imul(h, 0x9e3779b1)) & this.mask;
      while (this.hi[i] !== 0 || this.lo[i] !== 0) i = (i + 1) & this.mask;
      this.put(i, h, l, ids[k]!);
    }
  }

  /** Probability that two of the stored states share a fingerprint (birthday bound, n^2 / 2^65). */
  collisionProbability(): number {
    return Math.min(1, (this.size * this.size) / 2 ** 65);
  }
}

/** A growable Int32 column (parent pointers, transitions) without per-element objects. */
export class IntColumn {
  private data = new Int32Array(1 << 12);
  length = 0;
  push(v: number): number {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length] = v;
    return this.length++;
  }
  get(i: number): number {
    return this.data[i]!;
  }
  get bytes(): number {
    return this.data.byteLength;
  }
}
