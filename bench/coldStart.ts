import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './report.js';

const cli = fileURLToPath(new URL('../src/cli.js', import.meta.url));

function timeOnce(args: string[]): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 1 && r.status !== 0) throw new Error(`connmodel ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Whole-process time of the commands users run from the shell, cold start included. */
export function benchColdStart(): BenchRow[] {
  const runs = 5;
  const check = Array.from({ length: runs }, () => timeOnce(['check', '--property', 'one-to-one', '--no-out', '--json']));
  const help = Array.from({ length: runs }, () => timeOnce(['--help']));
  return [
    { name: 'cold start: connmodel check --property one-to-one', value: median(check), unit: 'ms', note: `median of ${runs}; 1,000 schedules per boundary, to the printed counterexample` },
    { name: 'cold start: connmodel --help (node + imports)', value: median(help), unit: 'ms', note: `median of ${runs}` },
  ];
}
