import type { Side, TierEvent } from '../../models/machines/vocabulary.js';
import { tierOf } from '../../models/ids.js';
import type { SystemModel } from '../../models/system.js';
import type { ConnState, Pending, SystemState } from './state.js';

/** The boundary a connection opened by `from` crosses, e.g. `gateway>nlb`. */
export function boundaryOf(model: SystemModel, from: string): string | null {
  const to = model.nextHop(from, 0);
  return to === null ? null : `${tierOf(from)}>${tierOf(to)}`;
}

/** The id the next connection opened by `instance` gets: `gateway>nlb#3`. */
export function nextConnFor(model: SystemModel, state: SystemState, instance: string): string {
  const boundary = boundaryOf(model, instance);
  return boundary === null ? '' : `${boundary}#${(state.counters[boundary] ?? 0) + 1}`;
}

/** Which side of `at` the neighbour `peer` is on along the connection's path. */
export function sideOf(conn: ConnState, at: string, peer: string): Side {
  return conn.path.indexOf(peer) < conn.path.indexOf(at) ? 'down' : 'up';
}

/** The neighbour of `at` on side `to` along the connection's path. */
export function neighbour(conn: ConnState, at: string, to: Side): string | undefined {
  const i = conn.path.indexOf(at);
  return conn.path[to === 'down' ? i - 1 : i + 1];
}

/** The tier event a pending message becomes when its receiver reads it. */
export function connEvent(model: SystemModel, state: SystemState, p: Pending, pick: number): TierEvent {
  const conn = state.conns[p.conn]!;
  const base = { pick, nextConn: nextConnFor(model, state, p.to), conn: p.conn, side: sideOf(conn, p.to, p.from) };
  switch (p.wire.kind) {
    case 'syn':
      return { type: 'CONNECT', ...base };
    case 'request':
      return { type: 'REQUEST', ...base, req: p.wire.req, method: p.wire.method };
    case 'response':
      return { type: 'RESPONSE', ...base, req: p.wire.req, status: p.wire.status, close: p.wire.close };
    case 'fin':
      return { type: 'CLOSE', ...base };
    case 'rst':
      return p.wire.refused ? { type: 'RESET', ...base, refused: true } : { type: 'RESET', ...base };
  }
}
