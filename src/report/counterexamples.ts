import { join } from 'node:path';
import type { Topology } from '../../models/topologies/topology.js';
import { traceDiagramTexts } from '../diagrams/traceDiagrams.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult, type Counterexample } from '../explore/check.js';
import type { Property } from '../explore/property.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { counterexampleTrace } from '../trace/counterexample.js';
import { traceToJson } from '../trace/file.js';

/** File name of a counterexample: `one-to-one.trace.json`, or `one-to-one.nginx-app.trace.json` for another facet. */
export function traceFileName(property: string, facet: string | null, headline: boolean): string {
  return headline || facet === null ? `${property}.trace.json` : `${property}.${facet.replace('>', '-')}.trace.json`;
}

export interface SavedCounterexample {
  facet: string | null;
  path: string;
}

/**
 * Writes a violated result's counterexamples to `outDir`: the headline one as
 * `<property>.trace.json`, each other violated facet beside it, each with its
 * sequence diagram as `<name>.puml` and `<name>.mmd`. Returns the trace
 * paths, headline first.
 */
export function saveCounterexamples(
  outDir: string,
  topology: Topology,
  property: Property,
  result: CheckResult,
  options: Pick<CheckOptions, 'maxSteps'> = DEFAULT_CHECK_OPTIONS,
): SavedCounterexample[] {
  // A `sometimes` property that holds is saved the same way: its witness is the trace worth showing.
  const head = result.counterexample ?? result.witness;
  if (!head) return [];
  const runOf = (f: { counterexample?: Counterexample; witness?: Counterexample }) => f.counterexample ?? f.witness;
  const others = result.facets.filter((f) => runOf(f) && f.facet !== head.facet).map((f) => runOf(f)!);
  // The step bound the run was explored with (a property may ask for more than the caller's).
  const maxSteps = Math.max(options.maxSteps, result.bounds?.maxSteps ?? 0);
  return [head, ...others].map((cx, i) => {
    const path = join(outDir, traceFileName(property.name, cx.facet, i === 0));
    const trace = counterexampleTrace(topology, property, cx, { maxSteps, seed: result.seed });
    writeTextAtomic(path, traceToJson(trace));
    // Beside each trace, its sequence diagram: `<name>.puml` and `<name>.mmd` (render them with `connmodel diagrams --trace`).
    const diagram = traceDiagramTexts(trace, { witness: property.kind === 'sometimes' });
    const base = path.replace(/\.trace\.json$/, '');
    writeTextAtomic(`${base}.puml`, diagram.puml);
    writeTextAtomic(`${base}.mmd`, diagram.mmd);
    return { facet: cx.facet, path };
  });
}
