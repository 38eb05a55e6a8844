import { availableParallelism } from 'node:os';
import { prepareSweep, runSweep } from '../src/cli/sweepCommand.js';
import type { BenchRow } from './report.js';

const ARGS = ['--topology', 'seed-small', '--param', 'gateway.upstreamIdleTimeout=5s,20s,60s,350s,never', '--property', 'no-starvation,flow-bound,no-reset', '--runs', '100'];

async function seconds(workers: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await runSweep(prepareSweep([...ARGS, '--workers', String(workers)]));
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Wall time of one sweep (5 values × 3 properties on seed-small) on one worker and on every core. */
export async function benchSweep(): Promise<BenchRow[]> {
  const cores = availableParallelism();
  const one = await seconds(1);
  const all = await seconds(cores);
  return [
    { name: 'sweep, 1 worker', value: one, unit: 's', note: `connmodel sweep ${ARGS.join(' ')} --workers 1` },
    { name: `sweep, ${cores} workers`, value: all, unit: 's', note: `the same on every core: ${(one / all).toFixed(2)}× faster` },
  ];
}
