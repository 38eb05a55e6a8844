import { mistaken, seed } from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { oneToOne, queueAdmission } from '../properties/catalogue.js';
import type { Property } from '../src/explore/property.js';
import { exhaustiveCheck, type ExhaustiveOptions } from '../src/explore/exhaustive/index.js';
import type { BenchRow } from './report.js';

const pipelineOnly = (t: Topology): Topology => ({ ...t, name: `${t.name}-pipeline`, healthCheck: undefined });

interface Instance {
  name: string;
  topology: Topology;
  property: Property;
  options: Partial<ExhaustiveOptions>;
}

/** Fixed instances: small complete ones, and the seed and mistaken with their health checkers. */
const instances: Instance[] = [
  { name: 'seed pipeline, queue-admission, 1 client x 1 request', topology: pipelineOnly(seed), property: queueAdmission, options: { clients: 1, requests: 1 } },
  { name: 'seed pipeline, one-to-one, 1 client x 2 requests', topology: pipelineOnly(seed), property: oneToOne, options: { clients: 1, requests: 2 } },
  { name: 'mistaken pipeline, one-to-one, 1 client x 2 requests', topology: pipelineOnly(mistaken), property: oneToOne, options: { clients: 1, requests: 2, maxStates: 20_000 } },
  { name: 'seed (with health checks), one-to-one, 1 client x 2 requests', topology: seed, property: oneToOne, options: { clients: 1, requests: 2, maxStates: 20_000 } },
  { name: 'mistaken (with health checks), one-to-one, 1 client x 1 request', topology: mistaken, property: oneToOne, options: { clients: 1, requests: 1, maxStates: 100_000 } },
];

/** Time abstractions compared on the seed with its health checkers: how many states each needs for the same counterexample. */
const times = ['activity', 'exact'] as const;

/** Exhaustive search throughput: unique and total (generated) states per second, with and without symmetry, and memory. */
export function benchExhaustive(): BenchRow[] {
  exhaustiveCheck(pipelineOnly(seed), queueAdmission, { clients: 1, requests: 1 }); // warm up the JIT
  const rows: BenchRow[] = [];
  for (const i of instances)
    for (const symmetry of [true, false]) {
      if (!symmetry && i.topology.healthCheck) continue; // without symmetry these do not finish in a bench's time
      const r = exhaustiveCheck(i.topology, i.property, { ...i.options, symmetry });
      const x = r.exhaustive;
      const label = `exhaustive ${i.name}${symmetry ? '' : ', no symmetry'}`;
      const how = `${x.uniqueStates} unique / ${x.totalStates} generated, ${x.stoppedBy}, depth ${x.depth}, ${x.seconds.toFixed(2)} s`;
      rows.push(
        { name: `${label}: unique states`, value: x.uniqueStatesPerSecond, unit: 'states/s', note: how },
        { name: `${label}: total states`, value: x.statesPerSecond, unit: 'states/s' },
        { name: `${label}: peak memory`, value: x.peakRssBytes / 2 ** 20, unit: 'MiB', note: `visited set and paths ${(x.visitedBytes / 2 ** 20).toFixed(1)} MiB` },
      );
    }
  for (const time of times) {
    const r = exhaustiveCheck(seed, oneToOne, { clients: 1, requests: 2, time, maxStates: 50_000 });
    const x = r.exhaustive;
    rows.push({
      name: `exhaustive seed one-to-one 1 x 2, ${time} time: states to the verdict`,
      value: x.uniqueStates,
      unit: 'states',
      note: `${r.verdict}${r.counterexample ? ` (${r.counterexample.steps} steps)` : ''}, ${x.stoppedBy}, depth ${x.depth}, ${x.seconds.toFixed(2)} s`,
    });
  }
  return rows;
}
