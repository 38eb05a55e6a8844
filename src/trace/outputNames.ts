import { join } from 'node:path';
import type { Topology } from '../../models/topologies/topology.js';

/** File name of a counterexample: `one-to-one.trace.json`, or `one-to-one.nginx-app.trace.json` for another facet. */
export function traceFileName(property: string, facet: string | null, headline: boolean): string {
  return headline || facet === null ? `${property}.trace.json` : `${property}.${facet.replace('>', '-')}.trace.json`;
}

/** Whether a file name is a trace of `property` or a diagram of one (`.puml`, `.mmd`), of any facet: what a run writes for it. */
export function isTraceOutput(property: string, name: string): boolean {
  if (!name.startsWith(`${property}.`)) return false;
  return /^(?:[A-Za-z0-9_-]+\.)?(?:trace\.json|puml|mmd)$/.test(name.slice(property.length + 1));
}

/**
 * The directory a run's files go to inside `--out`: one per topology
 * (`out/seed/`), so that two topologies' counterexamples of one property never
 * share a name. Topology names are file-safe (letters, digits, `.`, `-`, `_`);
 * anything else is replaced, and a name of dots cannot climb out.
 */
export function topologyDirectory(outDir: string, topology: Pick<Topology, 'name'>): string {
  const safe = topology.name.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^\.+/, '_') || '_';
  return join(outDir, safe);
}
