import type { Topology } from '../../models/topologies/topology.js';
import type { Property } from '../explore/property.js';
import { counterexampleTrace } from '../trace/counterexample.js';
import { check, DEFAULT_CHECK_OPTIONS, type CheckOptions } from '../explore/check.js';
import type { TraceFile } from '../trace/file.js';
import { machineDiagrams } from './machineDiagrams.js';
import { seedDiagramSpecs } from './seedDiagrams.js';
import { sequenceTexts, traceDiagramTexts, type DiagramTexts } from './traceDiagrams.js';

export type DiagramSection = 'seed' | 'counterexample' | 'machine';

/** One diagram of the set `connmodel diagrams` writes: `<name>.puml`, `<name>.mmd`, and `<name>.trace.json` when drawn from a run. */
export interface DiagramEntry {
  name: string;
  section: DiagramSection;
  caption: string;
  texts: DiagramTexts;
  trace: TraceFile | null;
}

/** A counterexample to draw on another topology than the set's (e.g. the readable small-queue variant). */
export interface CounterexampleOn {
  property: Property;
  topology: Topology;
}

export interface DiagramSetOptions {
  /** The topology whose counterexamples are drawn and whose tiers the state diagrams name. */
  topology: Topology;
  /** Properties whose counterexample (or witness) is drawn, on `topology` or on a topology of their own. */
  properties: readonly (Property | CounterexampleOn)[];
  /** Exploration settings for those checks (default: `check`'s, seed 42). */
  check?: Partial<CheckOptions>;
}

export interface DiagramSet {
  entries: DiagramEntry[];
  /** What was not drawn, and why (a property that holds has no counterexample). */
  notes: string[];
}

/**
 * Everything `connmodel diagrams` draws: the seed's two diagrams regenerated
 * from the model (and the actual run across every tier), the counterexample
 * of each property asked for on `topology`, and the state diagram of every
 * tier machine. Deterministic: the same model gives the same text.
 */
export function diagramSet(o: DiagramSetOptions): DiagramSet {
  const entries: DiagramEntry[] = [];
  const notes: string[] = [];
  for (const spec of seedDiagramSpecs())
    entries.push({
      name: spec.name,
      section: 'seed',
      caption: spec.caption,
      texts: sequenceTexts(spec.trace.topology, spec.trace.events, spec.options),
      trace: spec.trace,
    });
  const options = { ...DEFAULT_CHECK_OPTIONS, ...o.check };
  for (const entry of o.properties) {
    const { property, topology } = 'topology' in entry ? entry : { property: entry, topology: o.topology };
    const result = check(topology, property, options);
    const run = result.counterexample ?? result.witness;
    if (!run) {
      notes.push(`${property.name} ${result.verdict} on ${topology.name} with ${options.runs} runs (seed ${options.seed}): no run to draw`);
      continue;
    }
    // As `check --out` saves it: with the step bound the run was explored with (a property may raise it).
    const explored = (result as { bounds?: { maxSteps?: number } }).bounds?.maxSteps ?? 0;
    const trace = counterexampleTrace(topology, property, run, { maxSteps: Math.max(options.maxSteps, explored), seed: result.seed });
    const what = result.counterexample ? 'Counterexample to' : 'A run that reaches';
    entries.push({
      name: topology === o.topology ? property.name : `${topology.name}.${property.name}`,
      section: 'counterexample',
      caption: `${what} \`${property.name}\` on topology \`${topology.name}\` (\`connmodel check --property ${property.name} --topology ${topology.name} --seed ${result.seed}\`): ${run.message}`,
      texts: traceDiagramTexts(trace, { witness: property.kind === 'sometimes' }),
      trace,
    });
  }
  for (const m of machineDiagrams(o.topology))
    entries.push({ name: m.name, section: 'machine', caption: m.caption, texts: { puml: m.puml, mmd: m.mmd }, trace: null });
  return { entries, notes };
}
