import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { tierOf } from '../models/ids.js';
import { isHealthOrigin } from '../models/topologies/structure.js';
import { deadlineOf, duration, queueFillingBounds } from './traffic.js';

/**
 * Every request accepted on a connection is answered within the gateway
 * integration timeout. A trace observer with a deadline: each traffic request
 * the gateway reads must be answered (with anything but its own timeout)
 * within its `requestTimeout`. The gateway's own 504 shows the violation the
 * moment the deadline passes; any event later than an open deadline shows it
 * too (for a gateway without a timeout of its own).
 *
 * The counterexample it exists for: the gateway fleet spreads one client
 * connection over `limit + 1` backend connections landing on one instance;
 * `limit` of them hold the queue's active slots while idle, the last is
 * parked unread, and the request the gateway sends on it waits until the
 * gateway gives up. The property asks for bounds deep enough for that
 * (`limit + 2` requests per client).
 */
export const noStarvation: Property = {
  name: 'no-starvation',
  kind: 'trace',
  capabilities: { exhaustive: false, readsTime: true },
  description: 'every request accepted is answered within the deadline: the request timeout of the tier that has one',
  statement: (topology) => {
    const d = deadlineOf(topology);
    return d
      ? `every request ${d.tier} accepts is answered within its ${duration(d.timeout)} request timeout (by anything but that timeout's own ${d.status})`
      : 'every request is answered within a deadline (here none: no tier has a request timeout)';
  },
  applies: (topology) =>
    deadlineOf(topology) ? { applies: true } : { applies: false, reason: 'no tier has a request timeout, so there is no deadline' },
  facets: () => [],
  bounds: queueFillingBounds,
  monitor(topology): Monitor {
    const deadline = deadlineOf(topology);
    const name = 'no-starvation';
    // req -> when the deadline tier read it and on which connection it went on
    const waiting = new Map<string, number>();
    const sentOn = new Map<string, string>();
    // conn -> `${instance}: ${detail}` for connections a connection queue parked
    const parked = new Map<string, string>();
    const why = (req: string): string => {
      const conn = sentOn.get(req);
      if (conn === undefined) return 'it was never forwarded';
      const p = parked.get(conn);
      return p ? `${deadline!.tier} sent it on ${conn}, which ${p}: never read` : `${deadline!.tier} sent it on ${conn}`;
    };
    const overdue = (e: { step: number; t: number }) => {
      for (const [req, since] of waiting)
        if (e.t > since + deadline!.timeout)
          return violation(name, null, e, `${req} was not answered within ${deadline!.timeout} ms of reaching ${deadline!.tier}: ${why(req)}`);
      return null;
    };
    return {
      observe(e) {
        if (deadline === null) return null;
        const late = overdue(e);
        if (late) return late;
        if (e.type === 'queue' && e.conn && !e.req) parked.set(e.conn, `${e.at} parked (${e.detail ?? 'queue full'})`);
        if (e.type === 'activate' && e.conn) parked.delete(e.conn);
        if (tierOf(e.at) !== deadline.tier || !e.req) return null;
        if (e.type === 'recv' && e.msg === 'request' && !isHealthOrigin(topology, e.origin)) waiting.set(e.req, e.t);
        else if (e.type === 'send' && e.msg === 'request' && e.conn) sentOn.set(e.req, e.conn);
        else if (e.type === 'timeout' && waiting.has(e.req))
          return violation(
            name,
            null,
            e,
            `${e.req} was not answered within ${deadline.timeout} ms: ${deadline.tier} gave up with ${e.status ?? deadline.status}; ${why(e.req)}`,
          );
        // Answered, or nobody waits any more (the client side went away): no longer at risk.
        else if ((e.type === 'send' && e.msg === 'response') || e.type === 'abandon') waiting.delete(e.req);
        return null;
      },
      end(quiescent, last) {
        if (deadline === null) return null;
        const late = overdue(last);
        if (late) return late;
        if (quiescent && waiting.size > 0) {
          const [req] = waiting.keys();
          return violation(name, null, last, `${req} reached ${deadline.tier} and was never answered, though the run came to rest: ${why(req!)}`);
        }
        return null;
      },
    };
  },
};
