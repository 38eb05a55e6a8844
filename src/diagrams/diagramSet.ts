import type { Topology } from '../../models/topologies/topology.js';
import type { Property } from '../../properties/property.js';
import { counterexampleTrace } from '../api.js';
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

export interface DiagramSetOptions {
  /** The topology whose counterexamples are drawn and whose tiers the state diagrams name. */
  topology: Topology;
  /** Properties whose counterexample (or witness) is drawn. */
  properties: readonly Property[];
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
  for (const property of o.properties) {
    const result = check(o.topology, property, options);
    const run = result.counterexample ?? result.witness;
    if (!run) {
      notes.push(`${property.name} ${result.verdict} on ${o.topology.name} with ${options.runs} runs (seed ${options.seed}): no run to draw`);
      continue;
    }
    // As `check --out` saves it: with the step bound the run was explored with (a property may raise it).
    const explored = (result as { bounds?: { maxSteps?: number } }).bounds?.maxSteps ?? 0;
    const trace = counterexampleTrace(o.topology, property, run, { maxSteps: Math.max(options.maxSteps, explored), seed: result.seed });
    const what = result.counterexample ? 'Counterexample to' : 'A run that reaches';
    entries.push({
      name: property.name,
      section: 'counterexample',
      caption: `${what} \`${property.name}\` on topology \`${o.topology.name}\` (\`connmodel check --property ${property.name} --topology ${o.topology.name} --seed ${result.seed}\`): ${run.message}`,
      texts: traceDiagramTexts(trace),
      trace,
    });
  }
  for (const m of machineDiagrams(o.topology))
    entries.push({ name: m.name, section: 'machine', caption: m.caption, texts: { puml: m.puml, mmd: m.mmd }, trace: null });
  return { entries, notes };
}
