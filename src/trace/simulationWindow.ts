import type { TraceWindow } from '../simulate/window.js';
import type { Topology } from '../../models/topologies/topology.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceFile } from './file.js';

/**
 * A window cut from a simulation as an ordinary trace: the topology it ran
 * on (with the scenario's overrides), the client connections it composed,
 * the state when the window opened (`start`), and the schedule of choices
 * that reproduces the window from there. `connmodel replay` re-executes it
 * through check's kernel; `connmodel diagrams --trace` draws it.
 */
export function windowTrace(topology: Topology, clients: number, requests: number, seed: number, w: TraceWindow): TraceFile {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    topology,
    property: null,
    facet: null,
    seed,
    scenario: { clients, requests, schedule: w.schedule },
    maxSteps: w.lastStep,
    stopAtStep: w.lastStep,
    violation: null,
    start: w.start,
    events: w.events,
  };
}
