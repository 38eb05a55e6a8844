import type { Arrival } from './items.js';

/**
 * The customers' side of a run: each customer client holds a pool of
 * keep-alive connections (client machine instances). A request waits in its
 * client's queue until a connection of that client is idle (its machine
 * would act), then is sent on the connection idle the longest. A full queue
 * refuses the request at once (the client's own error). Which customer a
 * request belongs to is the arrival's stochastic choice.
 */
export class ClientPool {
  private readonly idle: number[][];
  private readonly isIdle: Uint8Array;
  private readonly waiting: Arrival[][];
  private readonly busy: (Arrival | null)[];
  waitingCount = 0;

  constructor(
    readonly customers: number,
    readonly connectionsEach: number,
    private readonly queueLimit: number,
  ) {
    const n = customers * connectionsEach;
    this.isIdle = new Uint8Array(n);
    this.busy = new Array<Arrival | null>(n).fill(null);
    this.idle = Array.from({ length: customers }, () => []);
    this.waiting = Array.from({ length: customers }, () => []);
  }

  customerOf(connection: number): number {
    return Math.floor(connection / this.connectionsEach);
  }

  /** Connection `i` can send a request now. */
  markIdle(i: number) {
    if (this.isIdle[i] || this.busy[i]) return;
    this.isIdle[i] = 1;
    this.idle[this.customerOf(i)]!.push(i);
  }

  /** Queues a request at its client; false when the queue is full (the request fails at the client). */
  enqueue(a: Arrival): boolean {
    const q = this.waiting[a.client]!;
    if (q.length >= this.queueLimit) return false;
    q.push(a);
    this.waitingCount++;
    return true;
  }

  /** Whether `customer` has a request waiting and a connection idle. */
  canTake(customer: number): boolean {
    return this.waiting[customer]!.length > 0 && this.idle[customer]!.length > 0;
  }

  /** The next request of `customer` that can go now, with the connection it goes on; null when none. */
  take(customer: number): { arrival: Arrival; connection: number } | null {
    const q = this.waiting[customer]!;
    const idle = this.idle[customer]!;
    if (q.length === 0 || idle.length === 0) return null;
    const arrival = q.shift()!;
    this.waitingCount--;
    const connection = idle.shift()!;
    this.isIdle[connection] = 0;
    this.busy[connection] = arrival;
    return { arrival, connection };
  }

  /** The request connection `i` carries, now finished (null if none). */
  finish(i: number): Arrival | null {
    const a = this.busy[i] ?? null;
    this.busy[i] = null;
    return a;
  }

  inFlight(): number {
    return this.busy.filter((a) => a !== null).length;
  }
}
