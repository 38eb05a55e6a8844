/**
 * Fingerprints: where canonical forms are written. A 64-bit streaming hash
 * for the search's visited set, or a readable string for tests.
 */

/** Where a canonical form is written: a hash or, for tests and debugging, a string. */
export interface Sink {
  str(s: string): void;
  num(n: number): void;
}

/** Two independent 32-bit murmur3-style lanes: a 64-bit fingerprint. */
export class Hash64 implements Sink {
  h1 = 0x9747b28c | 0;
  h2 = 0x3c6ef372 | 0;
  reset(): void {
    this.h1 = 0x9747b28c | 0;
    this.h2 = 0x3c6ef372 | 0;
  }
  private mix(k: number): void {
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.h1 ^ k;
    h = (h << 13) | (h >>> 19);
    this.h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
    let g = this.h2 ^ Math.imul(k, 0x85ebca6b);
    g = (g << 17) | (g >>> 15);
    this.h2 = (Math.imul(g, 9) + 0x7f4a7c15) | 0;
  }
  str(s: string): void {
    const n = s.length;
    this.mix(0x5f000000 | n);
    let i = 0;
    for (; i + 1 < n; i += 2) this.mix(s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
    if (i < n) this.mix(s.charCodeAt(i));
  }
  num(x: number): void {
    if (Number.isInteger(x) && x >= -0x40000000 && x < 0x40000000) this.mix(x ^ 0x2a000000);
    else this.str(`n${x}`);
  }
  private static fmix(h: number): number {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }
  /** The two lanes, finalised: [hi, lo] as unsigned 32-bit numbers. */
  digest(): [number, number] {
    const a = Hash64.fmix(this.h1 ^ this.h2);
    const b = Hash64.fmix((this.h2 + Math.imul(this.h1, 0x27d4eb2f)) | 0);
    return [a, b];
  }
}

/** A readable canonical form (tests, debugging). */
export class StringSink implements Sink {
  parts: string[] = [];
  str(s: string): void {
    this.parts.push(JSON.stringify(s));
  }
  num(n: number): void {
    this.parts.push(String(n));
  }
  toString(): string {
    return this.parts.join(' ');
  }
}
