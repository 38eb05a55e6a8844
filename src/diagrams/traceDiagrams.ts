import type { Topology } from '../../models/topologies/topology.js';
import type { TraceEvent } from '../kernel/events.js';
import type { TraceFile } from '../trace/file.js';
import { sequenceDiagram, type SequenceOptions } from './sequence.js';
import { sequenceToMermaid } from './sequenceMermaid.js';
import { sequenceToPlantUml } from './sequencePlantUml.js';

/** One diagram in both notations: what `<name>.puml` and `<name>.mmd` hold. */
export interface DiagramTexts {
  puml: string;
  mmd: string;
}

export function sequenceTexts(topology: Topology, events: readonly TraceEvent[], options: SequenceOptions = {}): DiagramTexts {
  const d = sequenceDiagram(topology, events, options);
  return { puml: sequenceToPlantUml(d), mmd: sequenceToMermaid(d) };
}

/**
 * How a saved trace is drawn by default: every tier, with connection ids (a
 * counterexample's message names them), requests that repeat the one before
 * them left out (so a long counterexample's violation stays in the picture),
 * and its violation, if any, marked where it happened. `witness`: the trace is a reachability property's
 * witness (what it records was reached), not a counterexample.
 */
export function traceDiagramOptions(trace: TraceFile, witness = false): SequenceOptions {
  const v = trace.violation;
  const what = witness ? 'reached' : 'violated';
  const seed = trace.seed !== null ? ` (check seed ${trace.seed})` : '';
  const title = v
    ? `${trace.property ?? v.property} ${what}${v.facet ? ` at ${v.facet}` : ''} on topology ${trace.topology.name}${seed}`
    : `A run of topology ${trace.topology.name}`;
  return { ids: true, violation: v, witness, title, collapse: true };
}

/** A saved trace (a counterexample from `check --out`, or any trace file) as PlantUML and Mermaid. */
export function traceDiagramTexts(trace: TraceFile, options: SequenceOptions = {}): DiagramTexts {
  return sequenceTexts(trace.topology, trace.events, { ...traceDiagramOptions(trace, options.witness), ...options });
}
