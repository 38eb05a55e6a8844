import { tierOf } from '../models/ids.js';
import type { TraceEvent } from '../src/kernel/events.js';
import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { limitersOf } from './traffic.js';

/**
 * The connection queue does what it promises: never more than `limit` active
 * connections per instance, and a queued connection is never read or written.
 * Checked from the trace alone (queue/activate events and every read or write),
 * not from the machine's own bookkeeping. A limiter that counts requests
 * (`mode: 'requests'`) is held to the same promise about requests: never more
 * than `limit` in flight, and a waiting request is not forwarded before it
 * gets a slot.
 */
export const queueAdmission: Property = {
  name: 'queue-admission',
  kind: 'always',
  capabilities: { exhaustive: true, readsTime: false },
  description: 'a connection limiter never has more than its limit active; a parked connection is never read or written',
  statement: (topology) =>
    limitersOf(topology)
      .map((t) =>
        t.params.mode === 'requests'
          ? `${t.name} never has more than ${t.params.limit} requests in flight and forwards no waiting request before it gets a slot`
          : `${t.name} never has more than ${t.params.limit} active connections and never reads or writes a parked one`,
      )
      .join('; '),
  applies: (topology) =>
    limitersOf(topology).length > 0 ? { applies: true } : { applies: false, reason: 'no connection limiter: nothing holds connections or requests to a limit' },
  facets: () => [],
  monitor(topology): Monitor {
    const limiters = new Map(
      topology.tiers.filter((t) => t.kind === 'connectionLimiter').map((t) => [t.name, t.kind === 'connectionLimiter' ? t.params.limit : 0]),
    );
    const active = new Map<string, Set<string>>();
    const queued = new Map<string, Set<string>>();
    // Accepted but not (yet) admitted or parked: a limiter that reads one without an `activate` breaks its promise.
    const pending = new Map<string, Set<string>>();
    const setOf = (m: Map<string, Set<string>>, at: string) => {
      let s = m.get(at);
      if (!s) m.set(at, (s = new Set()));
      return s;
    };
    const touches = (e: TraceEvent) => ['recv', 'send', 'closed', 'aborted', 'close', 'reset'].includes(e.type);
    const teardown = (e: TraceEvent) => ['close', 'closed', 'reset', 'aborted'].includes(e.type);
    // Limiters counting requests: their `active`/`queued` sets hold request ids, and each request's connection is kept here.
    const byRequests = new Set(
      topology.tiers.filter((t) => t.kind === 'connectionLimiter' && t.params.mode === 'requests').map((t) => t.name),
    );
    const connOfRequest = new Map<string, string>();
    const requestSlots = (e: TraceEvent, act: Set<string>, q: Set<string>) => {
      const limit = limiters.get(tierOf(e.at))!;
      if (e.type === 'recv' && e.msg === 'request' && e.req) connOfRequest.set(e.req, e.conn!);
      else if (e.type === 'queue' && e.req) q.add(e.req);
      else if (e.type === 'activate' && e.req) {
        q.delete(e.req);
        act.add(e.req);
        if (act.size > limit)
          return violation('queue-admission', null, e, `${e.at} has ${act.size} requests in flight, above its limit of ${limit}`);
      } else if (e.type === 'send' && e.msg === 'request' && e.req && q.has(e.req))
        return violation('queue-admission', null, e, `${e.at} forwarded ${e.req} while it was waiting for a request slot`);
      else if (e.type === 'send' && e.msg === 'response' && e.req) act.delete(e.req);
      else if (teardown(e))
        for (const [req, conn] of connOfRequest)
          if (conn === e.conn) {
            act.delete(req);
            q.delete(req);
          }
      return null;
    };
    // For exhaustive search: the sets as plain objects ({instance: {conn: true}}), rebuilt only after a change.
    type Sets = Record<string, Record<string, true>>;
    const toObject = (m: Map<string, Set<string>>): Sets =>
      Object.fromEntries([...m].filter(([, s]) => s.size > 0).map(([at, s]) => [at, Object.fromEntries([...s].map((c) => [c, true] as const))]));
    const fromObject = (o: Sets, m: Map<string, Set<string>>) => {
      m.clear();
      for (const [at, s] of Object.entries(o)) m.set(at, new Set(Object.keys(s)));
    };
    let saved: { active: Sets; queued: Sets; pending: Sets } | null = null;
    return {
      save() {
        if (!saved) saved = { active: toObject(active), queued: toObject(queued), pending: toObject(pending) };
        return saved;
      },
      restore(s) {
        saved = s as { active: Sets; queued: Sets; pending: Sets };
        fromObject(saved.active, active);
        fromObject(saved.queued, queued);
        fromObject(saved.pending, pending);
      },
      observe(e) {
        if (!limiters.has(tierOf(e.at)) || !e.conn) return null;
        saved = null;
        const act = setOf(active, e.at);
        const q = setOf(queued, e.at);
        if (byRequests.has(tierOf(e.at))) return requestSlots(e, act, q);
        const p = setOf(pending, e.at);
        if (e.type === 'accept') p.add(e.conn);
        else if (e.type === 'queue') {
          p.delete(e.conn);
          q.add(e.conn);
        } else if (e.type === 'activate') {
          p.delete(e.conn);
          q.delete(e.conn);
          act.add(e.conn);
          const limit = limiters.get(tierOf(e.at))!;
          if (act.size > limit)
            return violation('queue-admission', null, e, `${e.at} has ${act.size} active connections, above its limit of ${limit}`);
        } else if (touches(e) && q.has(e.conn)) {
          return violation('queue-admission', null, e, `${e.at} touched queued connection ${e.conn} (${e.type})`);
        } else if (touches(e) && p.has(e.conn)) {
          return violation('queue-admission', null, e, `${e.at} touched ${e.conn} (${e.type}) without admitting it to a slot or parking it`);
        }
        if (['close', 'closed', 'reset', 'aborted'].includes(e.type)) act.delete(e.conn);
        return null;
      },
      end: () => null,
    };
  },
};
