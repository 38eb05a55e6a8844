import { boundaryOfSend } from '../src/kernel/events.js';
import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { boundariesOf, isHealthOrigin } from '../models/topologies/structure.js';
import { listOf } from './traffic.js';

/** Events after which a connection carries nothing more. */
const TEARDOWN = new Set(['close', 'closed', 'reset', 'aborted', 'expire']);

/**
 * The team's assumption: "1 client TCP connection will only ever result in 1
 * TCP connection at all levels of the pipeline". At every tier boundary a
 * client connection is carried by one connection at a time, and no
 * connection carries requests of two client connections. Checked per
 * boundary from the connection each request rode when it crossed it. A
 * connection that replaces one closed under the client connection (a
 * keep-alive timeout, then a new connection for the next request) is not a
 * second one: the belief is about multiplication, and every real tier
 * replaces connections over time. Health-check traffic is left out: a health
 * checker is not a client connection (it enters an instance directly).
 */
export const oneToOne: Property = {
  name: 'one-to-one',
  kind: 'always',
  capabilities: { exhaustive: true, readsTime: false },
  description:
    'at every tier boundary, each client connection is carried by one connection at a time, and no connection carries requests of two client connections',
  statement: (topology) =>
    `at ${listOf(boundariesOf(topology))}, each client connection of ${topology.tiers[0]!.name} is carried by one connection at a time, and no connection there carries requests of two client connections`,
  facetKind: 'boundary',
  facets: boundariesOf,
  monitor(topology, facet): Monitor {
    const watched = new Set(facet === null ? boundariesOf(topology) : [facet]);
    // per boundary: client connection -> connections used (with the first request on each), and the reverse
    const conns = new Map<string, Map<string, Map<string, string>>>();
    const clients = new Map<string, Map<string, Map<string, string>>>();
    const add = (m: Map<string, Map<string, Map<string, string>>>, b: string, k: string, v: string, req: string) => {
      let byKey = m.get(b);
      if (!byKey) m.set(b, (byKey = new Map()));
      let vals = byKey.get(k);
      if (!vals) byKey.set(k, (vals = new Map()));
      if (!vals.has(v)) vals.set(v, req);
      return vals;
    };
    const list = (vals: Map<string, string>) => [...vals].map(([v, req]) => `${v} (${req})`).join(', ');
    // For exhaustive search: the maps as plain nested objects, rebuilt only after a change.
    type Nested = Record<string, Record<string, Record<string, string>>>;
    const toObject = (m: Map<string, Map<string, Map<string, string>>>): Nested =>
      Object.fromEntries([...m].map(([b, byKey]) => [b, Object.fromEntries([...byKey].map(([k, vals]) => [k, Object.fromEntries(vals)]))]));
    const fromObject = (o: Nested, m: Map<string, Map<string, Map<string, string>>>) => {
      m.clear();
      for (const [b, byKey] of Object.entries(o)) m.set(b, new Map(Object.entries(byKey).map(([k, vals]) => [k, new Map(Object.entries(vals))])));
    };
    let saved: { conns: Nested; clients: Nested } | null = null;
    return {
      save() {
        if (!saved) saved = { conns: toObject(conns), clients: toObject(clients) };
        return saved;
      },
      restore(s) {
        saved = s as { conns: Nested; clients: Nested };
        fromObject(saved.conns, conns);
        fromObject(saved.clients, clients);
      },
      observe(e) {
        // A connection that is closed or reset carries nothing more: a later one replaces it, it does not multiply it.
        if (e.conn && TEARDOWN.has(e.type)) {
          for (const [b, byOrigin] of conns) {
            if (!watched.has(b)) continue;
            for (const [origin, used] of byOrigin)
              if (used.delete(e.conn)) {
                saved = null;
                if (used.size === 0) byOrigin.delete(origin);
              }
          }
          return null;
        }
        if (e.type !== 'send' || e.msg !== 'request' || !e.origin || !e.req) return null;
        // Health checks are not client connections: they bypass the front tiers by design.
        if (isHealthOrigin(topology, e.origin)) return null;
        const b = boundaryOfSend(e);
        if (!watched.has(b)) return null;
        saved = null;
        const used = add(conns, b, e.origin, e.conn!, e.req);
        if (used.size > 1)
          return violation('one-to-one', b, e, `client connection ${e.origin} rode ${used.size} connections at once at ${b}: ${list(used)}`);
        const carried = add(clients, b, e.conn!, e.origin, e.req);
        if (carried.size > 1)
          return violation('one-to-one', b, e, `${e.conn} at ${b} carried requests of ${carried.size} client connections: ${list(carried)}`);
        return null;
      },
      end: () => null,
    };
  },
};
