import type { Topology } from '../models/topologies/topology.js';
import { boundariesOf, isPerInstanceTier } from '../models/topologies/structure.js';
import { violation, type Monitor, type Property } from '../src/explore/property.js';
import { FlowCounter, flowReport } from '../src/trace/flows.js';
import { instanceQueue, listOf, queueFillingBounds } from './traffic.js';

/**
 * The bound flow-bound checks against: `topology.flowBound`, else the
 * smallest limit of a per-instance limiter counting connections (one client
 * connection must not be able to fill an instance's queue on its own), else
 * none (the property does not apply). A shared limiter is no instance's queue.
 */
export function flowBoundOf(topology: Topology): { bound: number; why: string } | null {
  if (topology.flowBound !== undefined) return { bound: topology.flowBound, why: 'the topology’s flowBound' };
  const queue = instanceQueue(topology);
  return queue === null ? null : { bound: queue.params.limit, why: `${queue.name}’s limit` };
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
 * by itself". Without a per-instance connection queue and without
 * `flowBound` it does not apply; the counts are still reported (`measure`).
 * Facets: the boundaries with an instance side. Health checks are left out.
 */
export const flowBound: Property = {
  name: 'flow-bound',
  kind: 'always',
  capabilities: { exhaustive: false, readsTime: false },
  description: 'at every boundary on every instance, one client connection holds at most the bound of connections open (default: the queue limit)',
  statement: (topology) => {
    const b = flowBoundOf(topology);
    return b
      ? `one client connection holds at most ${b.bound} connections open at once (${b.why}) on each instance, at ${listOf(instanceBoundaries(topology))}`
      : 'one client connection holds at most the bound of connections open on each instance (here none: no per-instance connection limiter and no flowBound)';
  },
  applies: (topology) =>
    flowBoundOf(topology) === null
      ? { applies: false, reason: 'no per-instance connection limiter (and no flowBound): nothing bounds the connections one client connection holds on an instance' }
      : instanceBoundaries(topology).length === 0
        ? { applies: false, reason: 'no tier runs per instance, so no boundary has an instance side' }
        : { applies: true },
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
