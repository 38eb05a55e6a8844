import type { Side, TierEvent } from '../../models/machines/vocabulary.js';
import { tierOf } from '../../models/ids.js';
import type { SystemModel } from '../../models/system.js';
import type { ConnState, Pending, SystemState } from './state.js';
import type { WireView } from './store.js';

/** The boundary a connection opened by `from` crosses, e.g. `gateway>nlb`. */
export function boundaryOf(model: SystemModel, from: string): string | null {
  const to = model.nextHop(from, 0);
  return to === null ? null : `${tierOf(from)}>${tierOf(to)}`;
}

/** A SystemState read as a WireView. */
export function stateView(state: SystemState): WireView {
  return { conn: (id) => state.conns[id], counter: (b) => state.counters[b] ?? 0 };
}

const viewOf = (v: WireView | SystemState): WireView => ('pending' in v ? stateView(v) : v);

// Boundaries are asked for on every event: remember them per model and instance.
const boundaries = new WeakMap<SystemModel, Map<string, string | null>>();

function cachedBoundary(model: SystemModel, instance: string): string | null {
  let m = boundaries.get(model);
  if (!m) boundaries.set(model, (m = new Map()));
  let b = m.get(instance);
  if (b === undefined) m.set(instance, (b = boundaryOf(model, instance)));
  return b;
}

/** The id the next connection opened by `instance` gets: `gateway>nlb#3`. */
export function nextConnFor(model: SystemModel, view: WireView | SystemState, instance: string): string {
  const boundary = cachedBoundary(model, instance);
  return boundary === null ? '' : `${boundary}#${viewOf(view).counter(boundary) + 1}`;
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
export function connEvent(model: SystemModel, from: WireView | SystemState, p: Pending, pick: number): TierEvent {
  const view = viewOf(from);
  const conn = view.conn(p.conn)!;
  const base = { pick, nextConn: nextConnFor(model, view, p.to), conn: p.conn, side: sideOf(conn, p.to, p.from) };
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
