import type { SystemModel } from '../../models/system.js';
import { tiersOf } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import { descriptorOf } from '../../models/machines/index.js';
import type { SystemState } from '../kernel/state.js';
import type { StepResult } from '../kernel/step.js';
import { machineGraph, statePaths } from './machineGraph.js';

/**
 * Which states and transitions of each machine definition an exploration
 * exercised, by machine kind (all tiers of a kind together): a `holds` that
 * never took the transition where the trouble would be says little.
 */

/** Per machine kind, the state and transition ids exercised (sorted). */
export type Exercised = Record<string, { states: string[]; transitions: string[] }>;

/** One machine kind's coverage: what its definition has, what was exercised, what never was. */
export interface MachineCoverage {
  kind: string;
  states: { total: number; exercised: number; missed: string[] };
  transitions: { total: number; exercised: number; missed: string[] };
}

/** Collects, over any number of runs, the states each instance was in and the transitions it took. */
export class CoverageCollector {
  private readonly states = new Map<string, Set<string>>();
  private readonly transitions = new Map<string, Set<string>>();

  private setOf(m: Map<string, Set<string>>, kind: string): Set<string> {
    let s = m.get(kind);
    if (!s) m.set(kind, (s = new Set()));
    return s;
  }

  /** The states every instance starts in. */
  start(model: SystemModel, state: SystemState): void {
    for (const spec of model.instances) {
      const s = this.setOf(this.states, spec.descriptor.kind);
      for (const p of statePaths(state.instances[spec.id]!.value)) s.add(p);
    }
  }

  /** The transitions a step took, and the states its instances went to. */
  step(model: SystemModel, r: StepResult): void {
    for (const { instance, taken } of r.transitions) {
      const spec = model.byId.get(instance)!;
      const graph = machineGraph(spec.machine);
      const t = this.setOf(this.transitions, spec.descriptor.kind);
      for (const d of taken) {
        const id = graph.idOf.get(d);
        if (id !== undefined) t.add(id);
      }
      const s = this.setOf(this.states, spec.descriptor.kind);
      for (const p of statePaths(r.state.instances[instance]!.value)) s.add(p);
    }
  }

  exercised(): Exercised {
    const kinds = [...new Set([...this.states.keys(), ...this.transitions.keys()])].sort();
    return Object.fromEntries(
      kinds.map((k) => [k, { states: [...(this.states.get(k) ?? [])].sort(), transitions: [...(this.transitions.get(k) ?? [])].sort() }]),
    );
  }
}

/** The union of several explorations' coverage (the properties of one check). */
export function mergeExercised(all: readonly Exercised[]): Exercised {
  const out: Record<string, { states: Set<string>; transitions: Set<string> }> = {};
  for (const e of all)
    for (const [k, v] of Object.entries(e)) {
      const o = (out[k] ??= { states: new Set(), transitions: new Set() });
      v.states.forEach((s) => o.states.add(s));
      v.transitions.forEach((t) => o.transitions.add(t));
    }
  return Object.fromEntries(
    Object.keys(out)
      .sort()
      .map((k) => [k, { states: [...out[k]!.states].sort(), transitions: [...out[k]!.transitions].sort() }]),
  );
}

/** The machine kinds a topology runs (its tiers and its health checker), in pipeline order. */
export function machineKindsOf(topology: Topology): string[] {
  return [...new Set(tiersOf(topology).map((t) => t.kind))];
}

/** Coverage per machine kind of `topology`: each definition's states and transitions against those exercised. */
export function coverageOf(topology: Topology, exercised: Exercised): MachineCoverage[] {
  return machineKindsOf(topology).map((kind) => {
    const graph = machineGraph(descriptorOf(kind).machine);
    const done = exercised[kind] ?? { states: [], transitions: [] };
    const part = (all: readonly string[], hit: readonly string[]) => {
      const set = new Set(hit);
      const missed = all.filter((x) => !set.has(x));
      return { total: all.length, exercised: all.length - missed.length, missed };
    };
    return { kind, states: part(graph.states, done.states), transitions: part(graph.transitions, done.transitions) };
  });
}

/** The share of a machine's transitions exercised (0..1): what `--min-coverage` holds each machine kind to. */
export function transitionCoverage(c: MachineCoverage): number {
  return c.transitions.total === 0 ? 1 : c.transitions.exercised / c.transitions.total;
}
