import type { Topology } from '../models/topologies/topology.js';
import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { tierOf } from '../models/ids.js';
import { duration } from './traffic.js';

interface Limits {
  /** Idle after a response (keepalive_timeout). */
  idle: number | null;
  /** Before the first request (client_header_timeout). */
  first: number | null;
  max: number | null;
}

/** The proxies with keep-alive limits on their client side (nginx: 60 s before the first request, 75 s after a response, 100 requests; the app: keepAliveTimeout 5 s). */
function limitedTiers(topology: Topology): Map<string, Limits> {
  const out = new Map<string, Limits>();
  for (const t of topology.tiers)
    if (t.kind === 'l7Proxy' && (t.params.downstreamIdleTimeout !== null || t.params.downstreamMaxRequests !== null || t.params.firstRequestTimeout !== null))
      out.set(t.name, { idle: t.params.downstreamIdleTimeout, first: t.params.firstRequestTimeout, max: t.params.downstreamMaxRequests });
  return out;
}

/** Which timer governs an idle connection: before its first request, or after a response. */
type Phase = 'first' | 'idle';
const WHAT: Record<Phase, string> = { first: 'first-request timeout (client_header_timeout)', idle: 'keep-alive idle timeout' };

/**
 * nginx never serves more than keepalive_requests on one connection and never
 * keeps one idle past keepalive_timeout; likewise every other proxy with
 * keep-alive limits on its client side (the app's keepAliveTimeout). One
 * facet per such tier. Checked from the trace at that tier: requests read per
 * connection, and how long a connection stayed open with nothing in flight:
 * from its accept until its first request (held to the first-request
 * timeout), and from a response until its next request or close (held to the
 * keep-alive idle timeout).
 */
export const keepaliveLimits: Property = {
  name: 'keepalive-limits',
  kind: 'always',
  capabilities: { exhaustive: false, readsTime: true },
  description:
    'a proxy never serves more requests on one connection than its limit (keepalive_requests), never keeps one idle past its keep-alive timeout after a response, nor past its first-request timeout (client_header_timeout) before its first request',
  statement: (topology) =>
    [...limitedTiers(topology)]
      .map(([name, l]) => {
        const idle = [
          ...(l.idle !== null ? [`past ${duration(l.idle)} after a response`] : []),
          ...(l.first !== null ? [`past ${duration(l.first)} before its first request`] : []),
        ];
        return [
          ...(l.max !== null ? [`never serves more than ${l.max} requests on one client connection`] : []),
          ...(idle.length > 0 ? [`never keeps one idle ${idle.join(', nor ')}`] : []),
        ]
          .join(' and ')
          .replace(/^/, `${name} `);
      })
      .join('; '),
  applies: (topology) =>
    limitedTiers(topology).size > 0
      ? { applies: true }
      : { applies: false, reason: 'no proxy limits requests per client connection or closes idle ones' },
  facets: (topology) => [...limitedTiers(topology).keys()],
  monitor(topology, facet): Monitor {
    const all = limitedTiers(topology);
    const watched = new Map([...all].filter(([name]) => facet === null || name === facet));
    const name = 'keepalive-limits';
    // `${instance}|${conn}` -> requests read, and since when it is idle under which timer (absent: a request is in flight)
    const served = new Map<string, number>();
    const idleSince = new Map<string, { since: number; phase: Phase }>();
    const limitOf = (at: string, phase: Phase) => watched.get(tierOf(at))![phase];
    const tooIdle = (e: { step: number; t: number }) => {
      for (const [key, { since, phase }] of idleSince) {
        const [at, conn] = key.split('|') as [string, string];
        const limit = limitOf(at, phase);
        if (limit !== null && e.t > since + limit)
          return violation(name, tierOf(at), e, `${at} kept ${conn} open and idle for ${e.t - since} ms, past its ${WHAT[phase]} of ${limit} ms`);
      }
      return null;
    };
    const neverClosed = (last: { step: number; t: number }) => {
      for (const [key, { since, phase }] of idleSince) {
        const [at, conn] = key.split('|') as [string, string];
        const limit = limitOf(at, phase);
        if (limit !== null)
          return violation(name, tierOf(at), last, `${at} kept ${conn} open and idle from t=${since} ms until the run came to rest: its ${WHAT[phase]} of ${limit} ms never closed it`);
      }
      return null;
    };
    return {
      observe(e) {
        const late = tooIdle(e);
        if (late) return late;
        const limits = watched.get(tierOf(e.at));
        if (!limits || !e.conn) return null;
        const key = `${e.at}|${e.conn}`;
        switch (e.type) {
          case 'accept':
            served.set(key, 0);
            idleSince.set(key, { since: e.t, phase: 'first' });
            return null;
          case 'recv': {
            if (e.msg !== 'request' || !served.has(key)) return null;
            const n = served.get(key)! + 1;
            served.set(key, n);
            idleSince.delete(key);
            if (limits.max !== null && n > limits.max)
              return violation(name, tierOf(e.at), e, `${e.at} read ${e.req}, request ${n} on ${e.conn}, above its keepalive_requests of ${limits.max}`);
            return null;
          }
          case 'send':
            if (e.msg === 'response' && served.has(key)) {
              if (e.close) idleSince.delete(key);
              else idleSince.set(key, { since: e.t, phase: 'idle' });
            }
            return null;
          case 'close':
          case 'closed':
          case 'reset':
          case 'aborted':
            served.delete(key);
            idleSince.delete(key);
            return null;
          default:
            return null;
        }
      },
      // A run that came to rest with an idle connection still open: its idle timer never closed it.
      end: (quiescent, last) => tooIdle(last) ?? (quiescent ? neverClosed(last) : null),
    };
  },
};
