import { descriptorOf, machineDescriptors } from '../../models/machines/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { stateChartOf } from './stateChart.js';
import { stateDrawing } from './stateEdges.js';
import { stateToMermaid } from './stateMermaid.js';
import { stateToPlantUml } from './statePlantUml.js';
import type { DiagramTexts } from './traceDiagrams.js';

export interface MachineDiagram extends DiagramTexts {
  kind: string;
  /** File name without extension: `machine-l7Proxy`. */
  name: string;
  caption: string;
}

/** The tiers of a topology a machine kind runs, as `APIGW (fleet)`: the policy says which branches matter. */
export function tiersRunning(topology: Topology, kind: string): string[] {
  return topology.tiers
    .filter((t) => t.kind === kind)
    .map((t) => {
      const variant = descriptorOf(t.kind).variant?.(t.params) ?? null;
      return variant !== null ? `${t.participant} (${variant})` : t.participant;
    });
}

/**
 * The state diagram of every tier machine kind, read from its definition,
 * with a note naming the tiers of `topology` that run it.
 */
export function machineDiagrams(topology: Topology): MachineDiagram[] {
  return machineDescriptors().map(({ kind, machine }) => {
    const drawing = stateDrawing(stateChartOf(machine));
    const users = tiersRunning(topology, kind);
    const notes = users.length > 0 ? [`In topology ${topology.name}:`, ...users] : [`Not used by topology ${topology.name}`];
    const title = `Tier machine ${kind}`;
    return {
      kind,
      name: `machine-${kind}`,
      caption: `The \`${kind}\` machine${users.length > 0 ? `, run by ${users.join(', ')}` : ''}.`,
      puml: stateToPlantUml(drawing, title, notes),
      mmd: stateToMermaid(drawing, title, notes),
    };
  });
}
