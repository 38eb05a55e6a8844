import type { Topology } from '../models/topologies/topology.js';
import { boundariesOf, isPerInstanceTier } from '../models/topologies/structure.js';
import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { FlowCounter, flowReport } from '../src/trace/flows.js';
import { connectionLimit, queueFillingBounds } from './traffic.js';

/**
 * The bound flow-bound checks against: `topology.flowBound`, else the
 * smallest connection limit of its connection queue (one client connection
 * must not be able to fill an instance's queue on its own), else none.
 */
export function flowBoundOf(topology: Topology): { bound: number; why: string } | null {
  if (topology.flowBound !== undefined) return { bound: topology.flowBound, why: 'the topology’s flowBound' };
  const limit = connectionLimit(topology);
  return limit === null ? null : { bound: limit, why: 'the connection queue’s limit' };
}

/** Boundaries with one side on an instance: their connections are counted per instance. */
function instanceBoundaries(topology: Topology): string[] {
  return boundariesOf(topology).filter((b) => b.split('>').some((t) => isPerInstanceTier(topology, t)));
}

/**
 * Per instance, the largest number of connections one client connection
 * produced at each boundary and held open at once (a connection counts from
 * the first of its requests it carried until it closes). It holds when no count on an
 * instance exceeds the bound (`flowBoundOf`): by default the connection
 * queue's limit, i.e. "one client connection cannot fill an instance's queue
 * by itself". Without a connection queue and without `flowBound` nothing is
 * bounded and it holds; the counts are still reported (`measure`).
 * Facets: the boundaries with an instance side. Health checks are left out.
 */
export const flowBound: Property = {
  name: 'flow-bound',
  kind: 'always',
  capabilities: { exhaustive: false, readsTime: false },
  description: 'at every boundary on every instance, one client connection produces at most the bound of connections (default: the queue limit)',
  facetKind: 'boundary',
  facets: instanceBoundaries,
  bounds: queueFillingBounds,
  measure: {
    key: 'flows',
    heading: 'Connections per client connection (flow-bound)',
    intro: (runs) =>
      `The most connections one client connection held open at once, per boundary and instance (\`*\`: between shared tiers), over the deepest default run and ${runs} random schedules within flow-bound's bounds. flow-bound bounds the per-instance counts by the connection queue's limit.`,
    run(topology, options) {
      const flows = flowReport(topology, queueFillingBounds(topology), options);
      const b = flowBoundOf(topology);
      const rows = Object.entries(flows).map(([boundary, row]) => `${boundary} ${Object.entries(row).map(([k, n]) => (k === '*' ? `${n}` : `#${k}: ${n}`)).join(', ')}`);
      return { data: flows, line: `(bound: ${b ? `${b.bound}, ${b.why}` : 'none'}): ${rows.join('; ')}` };
    },
  },
  monitor(topology, facet): Monitor {
    const b = flowBoundOf(topology);
    const watched = new Set(facet === null ? instanceBoundaries(topology) : [facet]);
    const counter = new FlowCounter(topology);
    return {
      observe(e) {
        const c = counter.observe(e);
        if (!c || b === null || c.instance === 0 || !watched.has(c.boundary) || c.conns.size <= b.bound) return null;
        const list = [...c.conns].map(([conn, req]) => `${conn} (${req})`).join(', ');
        return violation(
          'flow-bound',
          c.boundary,
          e,
          `client connection ${c.origin} holds ${c.conns.size} connections open at ${c.boundary} on instance ${c.instance}, above the bound of ${b.bound} (${b.why}): ${list}`,
        );
      },
      end: () => null,
    };
  },
};
