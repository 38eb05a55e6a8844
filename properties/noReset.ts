import type { Topology } from '../models/topologies/topology.js';
import { healthTierOf } from '../models/system.js';
import { tierOf } from '../models/ids.js';
import { boundariesOf } from '../models/topologies/structure.js';
import { boundaryOfSend, type TraceEvent } from '../src/kernel/events.js';
import { violation, type Monitor, type Property, type Violation } from '../src/explore/property.js';
import { raceScenarios } from '../src/explore/races.js';
import { listOf } from './traffic.js';

/** Every boundary a request can cross, the health checker's included (`health>nginx`). */
function allBoundaries(topology: Topology): string[] {
  const health = healthTierOf(topology);
  return health ? [...boundariesOf(topology), `${health.name}>${topology.healthCheck!.entersAt}`] : boundariesOf(topology);
}

const ALREADY_CLOSED = 'already closed here';

/**
 * No request fails because the connection it was sent on was closed or reset
 * under it. Whoever sent a request on a connection must not see that
 * connection closed (FIN) or reset (RST) by the other side before the
 * response arrives. The races it catches are real wire races, modelled by the
 * kernel: a close and a request crossing on the wire (the request reaches a
 * closed end and is answered with an RST), e.g.
 * - nginx's keepalive_timeout closing an idle connection just as the gateway
 *   reuses it from its pool;
 * - keepalive_requests: the last response carries `Connection: close`, so a
 *   proxy that honours it never sends another request there (no race);
 * - an NLB flow expired after its idle timeout: the next request is reset;
 * - Node's keepAliveTimeout (5 s) closing a connection nginx reuses from its
 *   upstream keep-alive pool.
 * A tier closing its own connection (a timeout, an abandoned request) is not
 * a reset under a request, and neither is a loss that the sender retries at
 * once on a new connection (NGINX's proxy_next_upstream, CloudFront's
 * connection attempts, a client's retry policy): the request did not fail.
 * Facets: the boundary of the connection that was lost. Health checks
 * count: a failed check is a failed request too.
 */
export const noReset: Property = {
  name: 'no-reset',
  kind: 'always',
  capabilities: { exhaustive: false, readsTime: false },
  description: 'no request fails because the connection it was sent on was closed or reset under it',
  statement: (topology) => `no request fails because the connection it was sent on was closed or reset under it, at ${listOf(allBoundaries(topology))}`,
  facetKind: 'boundary',
  facets: allBoundaries,
  examples: raceScenarios,
  monitor(topology, facet): Monitor {
    const watched = new Set(facet === null ? allBoundaries(topology) : [facet]);
    // A load balancer passes the sender's request on; the sender is the one that loses it.
    const passThrough = new Set(topology.tiers.filter((t) => t.kind === 'l4LoadBalancer').map((t) => t.name));
    // `${sender}|${conn}` -> [request, boundary] awaiting its response
    const outstanding = new Map<string, [string, string]>();
    // conn -> who first closed or reset it, and why (a load balancer only relays closes: it counts when it
    // resets a flow it dropped); and the last keep-alive or idle timeout anywhere
    // The events themselves are kept, and worded only when a violation quotes them (the verdict never reads their times).
    const firstClose = new Map<string, TraceEvent>();
    const relayed = (e: { at: string; type: string; detail?: string }) =>
      passThrough.has(tierOf(e.at)) && (e.type === 'close' || (e.detail ?? '').endsWith('after this end closed'));
    let lastIdle: TraceEvent | null = null;
    const closedFirst = (c: TraceEvent) => `${c.at} ${c.type === 'close' ? 'closed' : 'reset'} it first${c.detail ? ` (${c.detail})` : ''} at t=${c.t} ms`;
    const idleTimeout = (c: TraceEvent) =>
      `${c.at} ${c.type === 'expire' ? 'dropped the idle flow of' : c.type === 'idle-close' ? 'closed idle' : 'closed after keepalive_requests'} ${c.conn} at t=${c.t} ms${c.detail ? ` (${c.detail})` : ''}`;
    // A loss waits for the rest of its step: if the sender sends the request again (it logs `retry`), nothing failed.
    let pending: { at: string; req: string; violation: Violation }[] = [];
    const settle = (e: { step: number } | null): Violation | null => {
      const due = pending.find((p) => e === null || e.step > p.violation.step);
      if (!due) return null;
      pending = [];
      return due.violation;
    };
    return {
      observe(e) {
        const failed = settle(e);
        if (failed) return failed;
        if (e.type === 'retry') pending = pending.filter((p) => !(p.at === e.at && p.req === e.req));
        if (!e.conn) return null;
        const key = `${e.at}|${e.conn}`;
        switch (e.type) {
          case 'send':
            if (e.msg === 'request' && e.req && !passThrough.has(tierOf(e.at))) outstanding.set(key, [e.req, boundaryOfSend(e)]);
            return null;
          case 'recv':
            if (e.msg === 'response') outstanding.delete(key);
            return null;
          case 'close':
          case 'reset':
            // This end gave up on the connection itself (or answers a late request with an RST).
            outstanding.delete(key);
            if (!firstClose.has(e.conn) && !relayed(e))
              firstClose.set(e.conn, e);
            return null;
          case 'idle-close':
          case 'expire':
          case 'max-requests':
            if (e.type === 'expire' && e.detail?.includes('no longer exists')) return null; // a stray RST dropped, not an expiry
            lastIdle = e;
            return null;
          case 'closed':
          case 'aborted': {
            if (e.detail === ALREADY_CLOSED) return null;
            const lost = outstanding.get(key);
            outstanding.delete(key);
            if (!lost || !watched.has(lost[1])) return null;
            const how = e.type === 'closed' ? 'closed (FIN)' : 'reset (RST)';
            // Why: who closed the connection first, and the last idle timeout.
            const first = firstClose.get(e.conn);
            const cause = first ? closedFirst(first) : lastIdle ? idleTimeout(lastIdle) : null;
            const idle = lastIdle ? idleTimeout(lastIdle) : null;
            const message = `${e.at} lost ${lost[0]}: ${e.conn} was ${how} by ${e.peer} while the request was on it${cause ? `; ${cause}` : ''}${idle && idle !== cause ? `; the last idle timeout: ${idle}` : ''}`;
            pending.push({ at: e.at, req: lost[0], violation: violation('no-reset', lost[1], e, message) });
            return null;
          }
          default:
            return null;
        }
      },
      end: () => settle(null),
    };
  },
};
