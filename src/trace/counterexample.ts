import type { Topology } from '../../models/topologies/topology.js';
import type { CheckOptions, Counterexample } from '../explore/check.js';
import type { Property } from '../explore/property.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceFile } from './file.js';

/** The trace file of a counterexample (or witness), ready to save or replay. */
export function counterexampleTrace(
  topology: Topology,
  property: Property,
  cx: Counterexample,
  options: Pick<CheckOptions, 'maxSteps'> & { seed: number | null; topologyFile?: TraceFile['topologyFile'] | null },
): TraceFile {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    topology,
    // Only for a topology from a file: traces of shipped topologies stay byte for byte what they were.
    ...(options.topologyFile ? { topologyFile: { path: options.topologyFile.path, sha256: options.topologyFile.sha256 } } : {}),
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
