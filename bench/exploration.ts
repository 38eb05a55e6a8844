import fc from 'fast-check';
import { seed } from '../models/topologies/index.js';
import { oneToOne } from '../properties/oneToOne.js';
import { modelFor, runScenario } from '../src/explore/run.js';
import { scenarioArbitrary, type Scenario } from '../src/explore/scenarios.js';
import type { BenchRow } from './report.js';

const STEPS = 30;

/** Random exploration throughput on the seed topology: schedules of 30 steps through the kernel. */
export function benchExploration(): BenchRow[] {
  const scenarios: Scenario[] = fc.sample(
    scenarioArbitrary({ clients: seed.bounds.clients, requests: seed.bounds.requests, scheduleLength: STEPS, maxDelay: 400_000 }),
    { seed: 1, numRuns: 2000 },
  );
  const models = new Map<string, ReturnType<typeof modelFor>>();
  const run = (sc: Scenario) => {
    const key = `${sc.clients}/${sc.requests}`;
    let model = models.get(key);
    if (!model) models.set(key, (model = modelFor(seed, sc)));
    return runScenario(seed, sc, [oneToOne.monitor(seed, null)], { maxSteps: STEPS, stopAtViolation: false }, model);
  };
  for (const sc of scenarios.slice(0, 200)) run(sc); // warm up the JIT
  let steps = 0;
  const t0 = process.hrtime.bigint();
  for (const sc of scenarios) steps += run(sc).steps;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return [
    { name: 'random exploration, seed topology', value: scenarios.length / seconds, unit: 'schedules/s', note: `${STEPS}-step schedules, one-to-one monitor, 1 core` },
    { name: 'kernel steps', value: steps / seconds, unit: 'steps/s', note: `${(steps / scenarios.length).toFixed(1)} steps per schedule on average` },
  ];
}
