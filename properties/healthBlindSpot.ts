import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { copyOf, tierOf } from '../models/ids.js';
import { entryTier, isHealthInstance, isHealthOrigin } from '../models/topologies/structure.js';
import { blindSpotScenarios } from './healthBlindSpotSchedules.js';
import { duration, queueFillingBounds } from './traffic.js';

/**
 * Reachability: can the health check succeed on an instance while a traffic
 * request is starving on that same instance? A `sometimes` property whose
 * witness is a bad thing (`witnessIs: 'bad'`): `reachable` is the finding, and
 * a healthy pipeline's verdict is `not found` (or `unreachable`, proved).
 *
 * "Starving": a traffic request sent into the instance (to its entry tier:
 * the connection queue, or nginx when there is none) has had no answer from
 * any tier for longer than the health check's own timeout. That is, the
 * instance left a request of real traffic waiting longer than the health
 * check would tolerate for itself, and still reported healthy. A check that
 * goes through the queue cannot do that: it would wait behind the request.
 */
export const healthBlindSpot: Property = {
  name: 'health-blind-spot',
  kind: 'sometimes',
  capabilities: { exhaustive: false, readsTime: true },
  witnessIs: 'bad',
  description: 'the health check reports an instance healthy while a traffic request starves on it (reaching this is the finding)',
  statement: (topology) => {
    const hc = topology.healthCheck;
    const entry = entryTier(topology);
    return hc && entry
      ? `${hc.name} (entering at ${hc.entersAt}) reports an instance healthy while a traffic request sent into that instance at ${entry} has waited unanswered longer than the check's own ${duration(hc.timeout)} timeout`
      : 'the health check reports an instance healthy while a traffic request starves on it';
  },
  applies: (topology) =>
    !topology.healthCheck
      ? { applies: false, reason: 'no health check is modelled' }
      : entryTier(topology) === null
        ? { applies: false, reason: 'no tier runs per instance, so no request waits on an instance the health check answers for' }
        : { applies: true },
  facets: () => [],
  bounds: queueFillingBounds,
  examples: blindSpotScenarios,
  monitor(topology): Monitor {
    const name = 'health-blind-spot';
    const entry = entryTier(topology);
    const patience = topology.healthCheck?.timeout ?? 0;
    // req -> [instance copy (0: shared), time it was sent into the instance, how]
    const unanswered = new Map<string, [number, number, string]>();
    return {
      observe(e) {
        if (!topology.healthCheck || entry === null) return null;
        if (e.type === 'send' && e.msg === 'request' && e.req && e.peer && tierOf(e.peer) === entry) {
          if (!isHealthOrigin(topology, e.origin) && !unanswered.has(e.req))
            unanswered.set(e.req, [copyOf(e.peer), e.t, `sent to ${e.peer} on ${e.conn}`]);
          return null;
        }
        // Any answer, from the instance or from a tier that gave up on it, ends the wait; so does the
        // client side going away (an abandoned request starves nobody).
        if (((e.type === 'send' && e.msg === 'response') || e.type === 'abandon') && e.req) {
          unanswered.delete(e.req);
          return null;
        }
        if (e.type === 'outcome' && isHealthInstance(topology, e.at) && e.status !== undefined && e.status >= 200 && e.status < 300) {
          const k = copyOf(e.at);
          for (const [req, [at, since, how]] of unanswered) {
            if ((k !== 0 && at !== k) || e.t - since <= patience) continue;
            return violation(
              name,
              null,
              e,
              `${e.at} reports healthy (${e.status} for ${e.req}) while ${req} has waited ${e.t - since} ms unanswered on the same instance (${how} at t=${since} ms), longer than the check's own ${patience} ms timeout`,
            );
          }
        }
        return null;
      },
      end: () => null,
    };
  },
};
