/** Stopping a run (Ctrl-C) leaves whole, valid files holding the minutes simulated so far, the last one marked partial. */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { runAndWrite } from '../../src/cli/simulateRun.js';
import { smallScenario } from './fixtures.js';

describe('an interrupted run', () => {
  it('writes valid CSV and JSON with the minutes so far, the last marked partial, and no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connmodel-int-'));
    let minutes = 0;
    const r = await runAndWrite(
      { name: 'x', topology: seed, scenario: smallScenario(), seed: 1, duration: 10 * 60_000, dir, window: null, charts: true },
      { onProgress: (p) => (minutes = p.simulated / 60_000), shouldStop: () => minutes >= 1.2 },
    );
    expect(r.interrupted).toBe(true);
    expect(r.simulated).toBeLessThan(10 * 60_000);
    const json = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as { minutes: { minute: number; partial?: boolean }[]; summary: { interrupted: boolean } };
    expect(json.summary.interrupted).toBe(true);
    expect(json.minutes.length).toBeGreaterThanOrEqual(2);
    expect(json.minutes.at(-1)!.partial).toBe(true);
    expect(json.minutes.slice(0, -1).every((m) => m.partial === undefined)).toBe(true);
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(json.minutes.length + 1);
    expect(existsSync(join(dir, 'charts.svg'))).toBe(true);
    expect(readFileSync(join(dir, 'charts.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
