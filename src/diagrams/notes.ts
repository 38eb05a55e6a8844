import type { TraceEvent } from '../kernel/events.js';

/** How notes name things: participants by their lane label, connections by id when ids are shown. */
export interface NoteContext {
  ids: boolean;
  /** The label of the lane an instance is drawn on (`NGINX`, `ConnCtrl 2`). */
  labelOf(instance: string): string;
  /** Whether `peer` is upstream (towards the database) of `at`. */
  isUpstream(at: string, peer: string): boolean;
  /** Tiers that pass connections through (the NLB): their closes only forward the ends'. */
  passesThrough(instance: string): boolean;
}

/** `75000` ms -> `75 s`; `350` -> `350 ms`. */
export function duration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Rewrites `idle 75000 ms` in a machine's detail as `idle 75 s`. */
const readable = (detail: string) => detail.replace(/(\d+) ms\b/g, (_, n: string) => duration(Number(n)));

function connRef(e: TraceEvent, c: NoteContext): string {
  if (c.ids && e.conn) return e.conn;
  if (!e.peer) return 'a connection';
  return `the conn. ${c.isUpstream(e.at, e.peer) ? 'to' : 'from'} ${c.labelOf(e.peer)}`;
}

const why = (e: TraceEvent) => (e.detail ? ` (${readable(e.detail)})` : '');

/**
 * The note a trace event puts on its participant, or null for events the
 * arrows already show (sends, reads, accepts) or that only the kernel cares
 * about (timers). `idle` is the `idle-close` that caused a `close`, if any.
 * Notes are what an incident review needs beside the arrows:
 * parked and activated connections, timeouts, resets, `Connection: close`
 * and closes, idle or not.
 */
export function noteLine(e: TraceEvent, c: NoteContext, idle?: TraceEvent): string | null {
  const conn = c.ids && e.conn ? ` ${e.conn}` : '';
  switch (e.type) {
    case 'queue':
      return `parks${conn || ' a new conn.'} unread${why(e)}`;
    case 'activate':
      return `activates${conn || ' the conn.'}${why(e)}`;
    case 'timeout':
      return `${e.req ?? 'request'} timed out: ${e.status}${why(e)}`;
    case 'expire':
      return `drops the flow of${conn || ' a conn.'} silently${why(e)}`;
    case 'max-requests':
      return `keepalive_requests reached${why(e)}: answers with Connection: close`;
    case 'abandon':
      return `abandons ${e.req}${why(e)}`;
    case 'route':
      // A route without a connection is a request left waiting for one (pool exhausted).
      return e.conn ? null : `${e.req} ${readable(e.detail ?? 'waits')}`;
    case 'outcome':
      return e.status === 0 ? `${e.req}: no response${why(e)}` : null;
    case 'idle-close':
      // Always followed by the close it causes; that close's note says both.
      return null;
    case 'close':
    case 'reset': {
      // A load balancer closing or resetting without a reason of its own is forwarding an end's.
      if (c.passesThrough(e.at) && !e.detail) return null;
      const after = idle?.detail ? ` after ${readable(idle.detail)}` : '';
      return `${e.type === 'close' ? 'closes' : 'resets'} ${connRef(e, c)}${after}${why(e)}`;
    }
    default:
      return null;
  }
}
