import { join } from 'node:path';
import type { Topology } from '../models/topologies/topology.js';
import { catalogue } from '../properties/catalogue.js';
import type { Property } from '../properties/property.js';
import { check, DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult, type Counterexample } from './explore/check.js';
import { TRACE_FORMAT, TRACE_VERSION, traceToJson, writeTextAtomic, type TraceFile } from './trace/file.js';

/** The trace file of a counterexample, ready to save or replay. */
export function counterexampleTrace(
  topology: Topology,
  property: Property,
  cx: Counterexample,
  options: Pick<CheckOptions, 'maxSteps'> & { seed: number | null },
): TraceFile {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    topology,
    property: property.name,
    facet: cx.facet,
    seed: options.seed,
    scenario: cx.scenario,
    maxSteps: options.maxSteps,
    stopAtStep: cx.steps,
    violation: cx.violation,
    events: cx.events,
  };
}

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
 * `<property>.trace.json`, each other violated facet beside it. Returns the
 * paths, headline first.
 */
export function saveCounterexamples(
  outDir: string,
  topology: Topology,
  property: Property,
  result: CheckResult,
  options: Pick<CheckOptions, 'maxSteps'> = DEFAULT_CHECK_OPTIONS,
): SavedCounterexample[] {
  if (!result.counterexample) return [];
  const head = result.counterexample;
  const others = result.facets.filter((f) => f.counterexample && f.facet !== head.facet).map((f) => f.counterexample!);
  return [head, ...others].map((cx, i) => {
    const path = join(outDir, traceFileName(property.name, cx.facet, i === 0));
    writeTextAtomic(path, traceToJson(counterexampleTrace(topology, property, cx, { maxSteps: options.maxSteps, seed: result.seed })));
    return { facet: cx.facet, path };
  });
}

/** Checks several properties of the catalogue on one topology. */
export function checkAll(
  topology: Topology,
  properties: readonly Property[] = catalogue,
  options: Partial<CheckOptions> = {},
): CheckResult[] {
  return properties.map((p) => check(topology, p, options));
}
