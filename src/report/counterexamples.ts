import { join } from 'node:path';
import type { Topology } from '../../models/topologies/topology.js';
import { traceDiagramTexts } from '../diagrams/traceDiagrams.js';
import { DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult, type Counterexample } from '../explore/check.js';
import type { Property } from '../explore/property.js';
import { writeTextAtomic } from '../io/atomicWrite.js';
import { OutputError } from '../io/errors.js';
import { removeStaleFiles } from '../io/staleFiles.js';
import { counterexampleTrace } from '../trace/counterexample.js';
import { traceToJson, type TraceFile } from '../trace/file.js';
import { isTraceOutput, traceFileName } from '../trace/outputNames.js';

export { traceFileName, topologyDirectory } from '../trace/outputNames.js';

export interface SavedCounterexample {
  facet: string | null;
  path: string;
}

export interface SaveOptions extends Pick<CheckOptions, 'maxSteps'> {
  /** The topology file the topology was loaded from, recorded in each trace (replay warns when it changed since). */
  topologyFile?: TraceFile['topologyFile'] | null;
}

/**
 * Writes a result's counterexamples to `outDir`: the headline one as
 * `<property>.trace.json`, each other violated facet beside it, each with its
 * sequence diagram as `<name>.puml` and `<name>.mmd`. Files of `property` an
 * earlier run left in `outDir` under these names and not rewritten now (a
 * facet that holds this time, a property that holds) are removed, so that
 * what is there is this run's. Returns the trace paths, headline first.
 * Throws an OutputError when a file cannot be written (the ones before it are whole).
 */
export function saveCounterexamples(
  outDir: string,
  topology: Topology,
  property: Property,
  result: CheckResult,
  options: SaveOptions = DEFAULT_CHECK_OPTIONS,
  /** Where each counterexample is recorded as soon as its files are written (what is whole when a later write fails). */
  saved: SavedCounterexample[] = [],
): SavedCounterexample[] {
  // A `sometimes` property that holds is saved the same way: its witness is the trace worth showing.
  const head = result.counterexample ?? result.witness;
  const runOf = (f: { counterexample?: Counterexample; witness?: Counterexample }) => f.counterexample ?? f.witness;
  const others = head ? result.facets.filter((f) => runOf(f) && f.facet !== head.facet).map((f) => runOf(f)!) : [];
  // The step bound the run was explored with (a property may ask for more than the caller's).
  const maxSteps = Math.max(options.maxSteps, result.bounds?.maxSteps ?? 0);
  const written = new Set<string>();
  (head ? [head, ...others] : []).forEach((cx, i) => {
    const path = join(outDir, traceFileName(property.name, cx.facet, i === 0));
    const trace = counterexampleTrace(topology, property, cx, { maxSteps, seed: result.seed, topologyFile: options.topologyFile ?? null });
    // Beside each trace, its sequence diagram: `<name>.puml` and `<name>.mmd` (render them with `connmodel diagrams --trace`).
    const diagram = traceDiagramTexts(trace, { witness: property.kind === 'sometimes' });
    const base = path.replace(/\.trace\.json$/, '');
    for (const [file, text] of [[path, traceToJson(trace)], [`${base}.puml`, diagram.puml], [`${base}.mmd`, diagram.mmd]] as const) {
      writeTextAtomic(file, text);
      written.add(file);
    }
    saved.push({ facet: cx.facet, path });
  });
  removeStaleFiles(outDir, (name) => isTraceOutput(property.name, name), written);
  return saved;
}

/**
 * Saves the counterexamples of several results, stopping at the first file
 * that cannot be written: the results stay whole and printable, and the
 * failure is returned for the caller to report (exit 2), not thrown.
 */
export function saveAllCounterexamples(
  outDir: string,
  topology: Topology,
  checked: readonly { property: Property; result: CheckResult; options: SaveOptions }[],
): { saved: Map<string, SavedCounterexample[]>; failure: OutputError | null } {
  const saved = new Map<string, SavedCounterexample[]>();
  for (const { property, result, options } of checked) {
    const these: SavedCounterexample[] = [];
    saved.set(result.property, these);
    try {
      saveCounterexamples(outDir, topology, property, result, options, these);
    } catch (e) {
      if (e instanceof OutputError) return { saved, failure: e };
      throw e;
    }
  }
  return { saved, failure: null };
}
