import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { isRequester } from '../models/topologies/structure.js';

/**
 * Nothing lost, nothing duplicated, nothing misrouted: a response or error
 * goes back on the connection its request arrived on, at most once per hop;
 * no tier forwards a request twice; and once a run has come to rest, every
 * request a client sent has exactly one outcome at that client (a response,
 * an error status, or a connection closed or reset under it). Health checks
 * are requests too: each has exactly one outcome at its checker. A tier that
 * retries (it logs `retry` first) forwards the request again: that is no
 * duplicate.
 */
export const conservation: Property = {
  name: 'conservation',
  kind: 'trace',
  capabilities: { exhaustive: true, readsTime: false },
  description: 'every request gets exactly one response or one error, at every hop; nothing is lost or duplicated',
  statement: (topology) =>
    `every request ${topology.tiers[0]!.name}${topology.healthCheck ? ` and ${topology.healthCheck.name}` : ''} send gets exactly one response or one error at every hop from ${topology.tiers[1]!.name} to ${topology.tiers[topology.tiers.length - 1]!.name}; nothing is lost or duplicated`,
  facets: () => [],
  monitor(topology): Monitor {
    const arrivedOn = new Map<string, string>(); // `${req}@${instance}` -> conn
    const answered = new Set<string>(); // `${req}@${instance}`
    const forwarded = new Set<string>(); // `${req}@${instance}`, forwarded and not retried since
    const sentByClient = new Set<string>();
    const outcomes = new Map<string, number>();
    // For exhaustive search: maps and sets as plain objects keyed by `req@instance` / req, rebuilt only after a change.
    interface Saved {
      arrivedOn: Record<string, string>;
      answered: Record<string, true>;
      forwarded: Record<string, true>;
      sentByClient: Record<string, true>;
      outcomes: Record<string, number>;
    }
    const set = (s: Set<string>) => Object.fromEntries([...s].map((k) => [k, true] as const));
    const refill = <K, V>(m: { clear(): void }, entries: [K, V][], put: (k: K, v: V) => void) => {
      m.clear();
      for (const [k, v] of entries) put(k, v);
    };
    let saved: Saved | null = null;
    return {
      save() {
        if (!saved)
          saved = {
            arrivedOn: Object.fromEntries(arrivedOn),
            answered: set(answered),
            forwarded: set(forwarded),
            sentByClient: set(sentByClient),
            outcomes: Object.fromEntries(outcomes),
          };
        return saved;
      },
      restore(s) {
        saved = s as Saved;
        refill(arrivedOn, Object.entries(saved.arrivedOn), (k, v) => arrivedOn.set(k, v));
        refill(answered, Object.entries(saved.answered), (k) => answered.add(k));
        refill(forwarded, Object.entries(saved.forwarded), (k) => forwarded.add(k));
        refill(sentByClient, Object.entries(saved.sentByClient), (k) => sentByClient.add(k));
        refill(outcomes, Object.entries(saved.outcomes), (k, v) => outcomes.set(k, v));
      },
      observe(e) {
        if (!e.req) return null;
        saved = null;
        const hop = `${e.req}@${e.at}`;
        if (e.type === 'recv' && e.msg === 'request') arrivedOn.set(hop, e.conn!);
        else if (e.type === 'retry') forwarded.delete(hop);
        else if (e.type === 'send' && e.msg === 'request') {
          if (forwarded.has(hop)) return violation('conservation', null, e, `${e.at} forwarded ${e.req} twice`);
          forwarded.add(hop);
          if (isRequester(topology, e.at)) sentByClient.add(e.req);
        } else if (e.type === 'send' && e.msg === 'response') {
          const on = arrivedOn.get(hop);
          if (on === undefined) return violation('conservation', null, e, `${e.at} answered ${e.req}, which never arrived there`);
          if (on !== e.conn) return violation('conservation', null, e, `${e.at} answered ${e.req} on ${e.conn}, but it arrived on ${on}`);
          if (answered.has(hop)) return violation('conservation', null, e, `${e.at} answered ${e.req} twice`);
          answered.add(hop);
        } else if (e.type === 'outcome' || (e.type === 'timeout' && isRequester(topology, e.at))) {
          const n = (outcomes.get(e.req) ?? 0) + 1;
          outcomes.set(e.req, n);
          if (n > 1) return violation('conservation', null, e, `${e.req} got ${n} outcomes at the client`);
        }
        return null;
      },
      end(quiescent, last) {
        if (!quiescent) return null; // cut off by the step bound: nothing can be concluded about loss
        for (const req of sentByClient)
          if (!outcomes.has(req)) return violation('conservation', null, last, `${req} was sent but never answered, though the run came to rest`);
        return null;
      },
    };
  },
};
