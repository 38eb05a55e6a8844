/**
 * The load balancer's flow table: a list of flows that is never changed,
 * only replaced (every state exploration keeps must stay as it was). At
 * production load it holds thousands of flows (a flow that passed a FIN stays
 * until it idles out) and every packet looks its flow up, so lists derived
 * from one another here share an index of where each flow is: a lookup is a
 * few comparisons rather than a search of the table.
 *
 * The index records, per connection, its position in the list the index was
 * begun on (appended flows: their position plus the removals before them);
 * a list carries how many flows were removed since, so a flow is found
 * between its recorded position and that many places before it. An index
 * shared by lists of different runs (exploration branches from one state)
 * may point elsewhere: every hit is checked, and anything not found where the
 * index says is searched for, so the answer is always the list's own.
 */
export interface Flow {
  conn: string;
  target: number;
  /** It passed a FIN on: its connection is closed (the load balancer is done with it), and the flow stays until it idles out. */
  closed?: true;
}

interface Placed {
  at: Map<string, number>;
  /** Flows removed since the index was begun. */
  removed: number;
}

const placed = new WeakMap<readonly Flow[], Placed>();
/** Below this, a search is as quick as the index. */
const SMALL = 16;
/** Removals after which the index is begun again (a lookup checks up to this many places). */
const MAX_REMOVED = 256;

function placedOf(flows: readonly Flow[]): Placed {
  let p = placed.get(flows);
  if (!p) {
    p = { at: new Map(flows.map((f, k) => [f.conn, k])), removed: 0 };
    placed.set(flows, p);
  }
  return p;
}

/** Where the flow of `conn` is in `flows` (-1: none). */
function positionOf(flows: readonly Flow[], conn: string): number {
  if (flows.length < SMALL) return flows.findIndex((f) => f.conn === conn);
  const p = placedOf(flows);
  const recorded = p.at.get(conn);
  if (recorded !== undefined) {
    for (let k = Math.min(recorded, flows.length - 1); k >= 0 && k >= recorded - p.removed; k--) if (flows[k]!.conn === conn) return k;
  }
  return flows.findIndex((f) => f.conn === conn);
}

/** Closed flows per list, carried to the lists derived from it (a simulation counts them every simulated second). */
const closedIn = new WeakMap<readonly Flow[], number>();

/** How many flows of the table passed a FIN (kept until they idle out). */
export function closedFlows(flows: readonly Flow[]): number {
  let n = closedIn.get(flows);
  if (n === undefined) {
    n = 0;
    for (const f of flows) if (f.closed) n++;
    closedIn.set(flows, n);
  }
  return n;
}

/** Carries `from`'s count of closed flows to `to`, changed by `delta`, when it is known. */
function carryClosed(from: readonly Flow[], to: readonly Flow[], delta: number) {
  const n = closedIn.get(from);
  if (n !== undefined) closedIn.set(to, n + delta);
}

export function flowOf(flows: readonly Flow[], conn: string): Flow | undefined {
  const k = positionOf(flows, conn);
  return k < 0 ? undefined : flows[k];
}

/** The table with `flow` added at the end. */
export function withFlow(flows: readonly Flow[], flow: Flow): Flow[] {
  const next = flows.slice();
  next.push(flow);
  const p = placed.get(flows);
  if (p) {
    p.at.set(flow.conn, next.length - 1 + p.removed);
    placed.set(next, p);
  }
  carryClosed(flows, next, flow.closed ? 1 : 0);
  return next;
}

/** The table without the flow of `conn`. */
export function withoutFlow(flows: readonly Flow[], conn: string): Flow[] {
  const k = positionOf(flows, conn);
  if (k < 0) {
    const same = flows.slice();
    carryClosed(flows, same, 0);
    return same;
  }
  const next = flows.slice(0, k).concat(flows.slice(k + 1));
  const p = placed.get(flows);
  if (p && p.removed < MAX_REMOVED) placed.set(next, { at: p.at, removed: p.removed + 1 });
  carryClosed(flows, next, flows[k]!.closed ? -1 : 0);
  return next;
}

/** The table with the flow of `conn` marked closed, in its place. */
export function withFlowClosed(flows: readonly Flow[], conn: string): Flow[] {
  const next = flows.slice();
  const k = positionOf(flows, conn);
  if (k >= 0) next[k] = { ...flows[k]!, closed: true };
  const p = placed.get(flows);
  if (p) placed.set(next, p);
  carryClosed(flows, next, k >= 0 && !flows[k]!.closed ? 1 : 0);
  return next;
}
