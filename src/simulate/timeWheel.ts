/**
 * The simulation's event queue, for whole-millisecond times: a ring of one
 * bucket per millisecond for the next ~9 minutes, and a binary heap for
 * anything later. Push and pop are O(1) in the ring. Items due at the same
 * millisecond come out in the order they were pushed (an item that enters
 * the ring from the heap was pushed before anything pushed straight into its
 * bucket, so the order is by push for every item): runs are deterministic.
 */
export interface Timed {
  t: number;
}

const SPAN = 1 << 19; // 524 s of milliseconds
const MASK = SPAN - 1;

export class TimeWheel<T extends Timed> {
  private readonly buckets: (T[] | undefined)[] = new Array(SPAN);
  private now = 0;
  private cursor = 0;
  private inRing = 0;
  private readonly far: { item: T; seq: number }[] = [];
  private seq = 0;

  get size(): number {
    return this.inRing + this.far.length;
  }

  /** The time of the last item popped (the queue never goes back before it). */
  get time(): number {
    return this.now;
  }

  push(item: T): void {
    if (item.t < this.now) throw new Error(`event at ${item.t} ms pushed after ${this.now} ms`);
    if (item.t - this.now >= SPAN) {
      this.heapPush({ item, seq: this.seq++ });
      return;
    }
    const i = item.t & MASK;
    let b = this.buckets[i];
    if (!b) this.buckets[i] = b = [];
    b.push(item);
    this.inRing++;
  }

  /** The next item due no later than `until`, or undefined (the queue then stays where it was). */
  pop(until: number): T | undefined {
    for (;;) {
      const b = this.buckets[this.now & MASK];
      if (b && this.cursor < b.length) {
        const item = b[this.cursor]!;
        b[this.cursor++] = undefined as unknown as T;
        this.inRing--;
        return item;
      }
      if (b && b.length > 0) {
        b.length = 0;
        this.cursor = 0;
      }
      if (this.inRing === 0 && this.far.length === 0) return undefined;
      const next = this.inRing > 0 ? this.now + 1 : this.far[0]!.item.t;
      if (next > until) return undefined;
      this.advance(next);
    }
  }

  private advance(to: number) {
    this.now = to;
    this.cursor = 0;
    // Bring into the ring what is now within its span, before anything is pushed at the new time.
    while (this.far.length > 0 && this.far[0]!.item.t - this.now < SPAN) {
      const { item } = this.heapPop();
      const i = item.t & MASK;
      let b = this.buckets[i];
      if (!b) this.buckets[i] = b = [];
      b.push(item);
      this.inRing++;
    }
  }

  private less(a: { item: T; seq: number }, b: { item: T; seq: number }) {
    return a.item.t < b.item.t || (a.item.t === b.item.t && a.seq < b.seq);
  }

  private heapPush(x: { item: T; seq: number }) {
    const h = this.far;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private heapPop(): { item: T; seq: number } {
    const h = this.far;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
