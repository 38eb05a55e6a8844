import type { TraceEvent } from '../kernel/events.js';

/** What a diagram says about the hop a message crossed: the seed's "2 TCP conn.", bold when new. */
export interface Hop {
  /** The connection the message rode. */
  conn: string;
  /** Distinct TCP connections open between the two ends of this hop when the message was sent. */
  open: number;
  /** The hop had to open a new connection for it: the first request this connection carries here. */
  fresh: boolean;
}

/**
 * Follows a trace and keeps, per hop (a pair of instances such as `gateway`
 * and `nlb`, or `nlb` and `connQueue.1`), the connections open between them.
 * A connection counts from its `connect` until either end closes or resets it
 * (a half-closed connection carries no new request, so it is no longer one
 * the hop can use). A connection through a pass-through tier (the NLB) is on
 * two hops at once and leaves both together.
 */
export class ConnectionLedger {
  private readonly open = new Map<string, Set<string>>();
  private readonly hopsOf = new Map<string, Set<string>>();
  private readonly carried = new Set<string>();

  /** `rank` orders instances along the pipeline, so a hop has the same key in both directions. */
  constructor(private readonly rank: (instance: string) => number) {}

  private hopKey(a: string, b: string): string {
    return this.rank(a) <= this.rank(b) ? `${a}|${b}` : `${b}|${a}`;
  }

  /** Updates the ledger with one event; call it for every event, in order. */
  observe(e: TraceEvent): void {
    if (!e.conn) return;
    if (e.type === 'connect' && e.peer) {
      const hop = this.hopKey(e.at, e.peer);
      if (!this.open.has(hop)) this.open.set(hop, new Set());
      this.open.get(hop)!.add(e.conn);
      if (!this.hopsOf.has(e.conn)) this.hopsOf.set(e.conn, new Set());
      this.hopsOf.get(e.conn)!.add(hop);
    } else if (e.type === 'close' || e.type === 'reset' || e.type === 'closed' || e.type === 'aborted') {
      for (const hop of this.hopsOf.get(e.conn) ?? []) this.open.get(hop)?.delete(e.conn);
      this.hopsOf.delete(e.conn);
    }
  }

  /** The hop of a `send` event, as it is at this point of the trace. Marks the connection as used. */
  hopOf(e: TraceEvent): Hop {
    const conn = e.conn ?? '';
    const hop = this.hopKey(e.at, e.peer ?? '');
    const open = this.open.get(hop) ?? new Set<string>();
    // Sending on a connection that is already closing still uses it: count it.
    const count = open.size + (open.has(conn) ? 0 : 1);
    const used = `${hop}|${conn}`;
    const fresh = e.msg === 'request' && !this.carried.has(used);
    if (e.msg === 'request') this.carried.add(used);
    return { conn, open: count, fresh };
  }
}
