import { steady } from '../models/scenarios/shipped.js';
import type { SimulationScenario } from '../models/scenarios/scenario.js';
import { queueRemoved, seed } from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { simulate } from '../src/simulate/engine.js';
import type { BenchRow } from './report.js';

const HOUR = 3_600_000;

/** The seed's peak as a constant rate: 4,000 requests/s (14.4 M requests an hour). */
const peak: SimulationScenario = { ...steady, name: 'peak-4000', arrivals: { kind: 'constant', rate: 4000 } };

/**
 * One simulated hour at 4,000 requests/s, run for at most `budgetSeconds` of
 * wall time: the events/s, how far it got, the hour extrapolated from the
 * rate so far, and the peak memory (sampled as it runs; flat means the run's
 * length does not grow it). Not asserted anywhere: figures to compare.
 */
async function hourAt4000(topology: Topology, budgetSeconds: number): Promise<BenchRow[]> {
  let peakRss = process.memoryUsage().rss;
  const rssAt: number[] = [];
  const started = Date.now();
  const r = await simulate({
    topology,
    scenario: peak,
    duration: HOUR,
    seed: 1,
    onProgress: () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      rssAt.push(process.memoryUsage().rss);
    },
    shouldStop: () => Date.now() - started > budgetSeconds * 1000,
  });
  const seconds = r.wallMs / 1000;
  const simulatedMin = r.simulated / 60_000;
  const hour = (seconds * HOUR) / Math.max(r.simulated, 1);
  const label = `simulate ${topology.name}, 4,000 requests/s`;
  const third = (k: number) => ((rssAt[Math.floor(((rssAt.length - 1) * k) / 3)] ?? 0) / 2 ** 20).toFixed(0);
  return [
    { name: `${label}: events/s`, value: r.events / seconds, unit: 'events/s', note: `${r.events.toLocaleString('en-US')} kernel occurrences in ${seconds.toFixed(0)} s, ${simulatedMin.toFixed(2)} simulated minutes` },
    {
      name: `${label}: one simulated hour`,
      value: r.interrupted ? hour : seconds,
      unit: 's',
      note: r.interrupted ? `extrapolated from ${simulatedMin.toFixed(2)} simulated minutes in a ${budgetSeconds} s budget (the target: 180 s)` : 'measured',
    },
    { name: `${label}: peak memory`, value: peakRss / 2 ** 20, unit: 'MiB', note: `RSS at 1/3, 2/3, 3/3 of the run: ${third(1)}, ${third(2)}, ${third(3)} MiB` },
  ];
}

/** Simulation throughput on the seed (saturated at this load) and on the seed without its connection queue (it carries the load). */
export async function benchSimulation(kernelStepsPerSecond: number | null): Promise<BenchRow[]> {
  const rows = [...(await hourAt4000(seed, 60)), ...(await hourAt4000(queueRemoved, 60))];
  if (kernelStepsPerSecond) {
    const healthy = rows[3]!.value;
    rows.push({ name: 'simulate events/s over kernel random-exploration steps/s', value: healthy / kernelStepsPerSecond, unit: 'x', note: 'queue-removed run; the kernel figure is the exploration row above' });
  }
  return rows;
}
