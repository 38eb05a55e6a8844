import type { TraceEvent } from '../src/trace/events.js';
import { violation, type Monitor, type Property } from './property.js';

/**
 * The connection queue does what it promises: never more than `limit` active
 * connections per instance, and a queued connection is never read or written.
 * Checked from the trace alone (queue/activate events and every read or write),
 * not from the machine's own bookkeeping.
 */
export const queueAdmission: Property = {
  name: 'queue-admission',
  kind: 'always',
  description: 'connQueue never has more than its limit active; a queued connection is never read or written',
  facets: () => [],
  monitor(topology): Monitor {
    const limiters = new Map(
      topology.tiers.filter((t) => t.kind === 'connectionLimiter').map((t) => [t.name, t.kind === 'connectionLimiter' ? t.params.limit : 0]),
    );
    const active = new Map<string, Set<string>>();
    const queued = new Map<string, Set<string>>();
    const setOf = (m: Map<string, Set<string>>, at: string) => {
      let s = m.get(at);
      if (!s) m.set(at, (s = new Set()));
      return s;
    };
    const tier = (at: string) => at.split('.')[0]!;
    const touches = (e: TraceEvent) => ['recv', 'send', 'closed', 'aborted', 'close', 'reset'].includes(e.type);
    return {
      observe(e) {
        if (!limiters.has(tier(e.at)) || !e.conn) return null;
        const act = setOf(active, e.at);
        const q = setOf(queued, e.at);
        if (e.type === 'queue') q.add(e.conn);
        else if (e.type === 'activate') {
          q.delete(e.conn);
          act.add(e.conn);
          const limit = limiters.get(tier(e.at))!;
          if (act.size > limit)
            return violation('queue-admission', null, e, `${e.at} has ${act.size} active connections, above its limit of ${limit}`);
        } else if (touches(e) && q.has(e.conn)) {
          return violation('queue-admission', null, e, `${e.at} touched queued connection ${e.conn} (${e.type})`);
        }
        if (['close', 'closed', 'reset', 'aborted'].includes(e.type)) act.delete(e.conn);
        return null;
      },
      end: () => null,
    };
  },
};
