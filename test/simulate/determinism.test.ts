/** Runs are a function of their seed: the same seed gives the same CSV bytes, on the main thread or on worker threads. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { runJobs } from '../../src/cli/simulateCommand.js';
import { runAndWrite, type RunJob } from '../../src/cli/simulateRun.js';
import { smallScenario } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'connmodel-sim-'));
const job = (name: string, s: number): RunJob => ({
  name,
  topology: seed,
  scenario: smallScenario({ events: [{ at: 20_000, kind: 'restart', instance: 2 }] }, 60, 10),
  seed: s,
  duration: 90_000,
  dir: join(dir, name),
  window: null,
  charts: false,
});
const csv = (name: string) => readFileSync(join(dir, name, 'metrics.csv'), 'utf8');

describe('determinism', () => {
  it('the same seed gives the same metrics, byte for byte; another seed does not', async () => {
    await runAndWrite(job('a', 5));
    await runAndWrite(job('b', 5));
    await runAndWrite(job('c', 6));
    expect(csv('a')).toBe(csv('b'));
    expect(csv('a').trimEnd().split('\n').length).toBe(3); // the header, minute 1, the last half minute
    expect(csv('c')).not.toBe(csv('a'));
  });

  it('runs on worker threads give the same bytes as on one core', async () => {
    const noProgress = { update: () => {}, done: () => {} } as unknown as Parameters<typeof runJobs>[2];
    const { reports, failure } = await runJobs([job('w5', 5), job('w6', 6)], 2, noProgress, { now: false });
    expect(failure).toBeNull();
    expect(reports.map((r) => r.name)).toEqual(['w5', 'w6']);
    expect(csv('w5')).toBe(csv('a'));
    expect(csv('w6')).toBe(csv('c'));
  });
});
