import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, STACK_FRAME } from './support/cli.js';
import { readOnlyDirectory } from './support/files.js';

/**
 * `connmodel simulate` under the command line's conventions (issue 16): output
 * through the Printer, files per topology (out/<topology>/<scenario>-seed<N>/),
 * the output directory checked before any run, scenario files read bounded and
 * regular only, exit 2 for bad input and for outputs that cannot be written.
 */

const dir = mkdtempSync(join(tmpdir(), 'connmodel-simulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scenario small enough for a test: 20 requests/s, 10 customers, 5 simulated seconds. */
function smallScenarioFile(cwd: string, name = 'small.yaml'): string {
  const file = join(cwd, name);
  writeFileSync(file, `name: small\nduration: 5s\nclients: { count: 10, connections: 2 }\narrivals: { rate: 20 }\n`);
  return file;
}

describe('connmodel simulate', () => {
  it("writes each run's files under out/<topology>/<scenario>-seed<N>/ and prints its table", async () => {
    const cwd = join(dir, 'layout');
    mkdirSync(cwd);
    smallScenarioFile(cwd);
    const r = await cli(['simulate', '--scenario', 'small.yaml', '--no-charts'], cwd);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^small on seed, seed 1: 0:00:05 simulated/);
    expect(r.stdout).toContain(join('out', 'seed', 'small-seed1', 'metrics.csv'));
    expect(existsSync(join(cwd, 'out/seed/small-seed1/metrics.csv'))).toBe(true);
    expect(existsSync(join(cwd, 'out/seed/small-seed1/metrics.json'))).toBe(true);
  });

  it('prints one JSON document with --json', async () => {
    const cwd = join(dir, 'json');
    mkdirSync(cwd);
    smallScenarioFile(cwd);
    const r = await cli(['simulate', '--scenario', 'small.yaml', '--no-charts', '--json', '--out', 'sim'], cwd);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { runs: { scenario: string; files: { csv: string } }[]; interrupted: boolean };
    expect(doc.interrupted).toBe(false);
    expect(doc.runs.map((x) => x.scenario)).toEqual(['small']);
    expect(doc.runs[0]!.files.csv).toBe(join('sim', 'seed', 'small-seed1', 'metrics.csv'));
  });

  it('checks the output directory before any run: a file where --out should be is exit 2, nothing run', async () => {
    const cwd = join(dir, 'preflight');
    mkdirSync(cwd);
    smallScenarioFile(cwd);
    writeFileSync(join(cwd, 'taken'), 'a file\n');
    const r = await cli(['simulate', '--scenario', 'small.yaml', '--out', 'taken'], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^connmodel simulate: --out 'taken' is a file; it must be a directory/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a directory it cannot write is exit 2, before any run', async () => {
    const cwd = join(dir, 'readonly');
    mkdirSync(cwd, { recursive: true });
    smallScenarioFile(cwd);
    const r = await cli(['simulate', '--scenario', 'small.yaml', '--out', readOnlyDirectory(cwd)], cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot be written/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('reads scenario files as regular files only, bounded, with a hint when missing', async () => {
    const cwd = join(dir, 'reads');
    mkdirSync(join(cwd, 'adir.yaml'), { recursive: true });
    const missing = await cli(['simulate', '--scenario', 'nope.yaml'], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("connmodel simulate: scenario file 'nope.yaml' not found; to write a commented starter scenario there: connmodel init --scenario nope.yaml\n");
    const directory = await cli(['simulate', '--scenario', 'adir.yaml'], cwd);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toBe("connmodel simulate: scenario file 'adir.yaml' is a directory; connmodel reads only regular files\n");
    writeFileSync(join(cwd, 'big.yaml'), `# ${'x'.repeat(300 * 1024)}\nname: big\n`);
    const big = await cli(['simulate', '--scenario', 'big.yaml'], cwd);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/big\.yaml: a problem in the scenario file \(nothing was run or written\):\n {2}big\.yaml: \(top level\): the file is larger than 256 KiB; a scenario file may be at most 256 KiB\nThe format: docs\/simulation\.md/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('refuses a scenario named twice and an option given twice (exit 2, nothing run)', async () => {
    const cwd = join(dir, 'twice');
    mkdirSync(cwd);
    const r = await cli(['simulate', '--scenario', 'steady,steady'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("connmodel simulate: --scenario names 'steady' twice\n");
    const d = await cli(['simulate', '--duration', '5s', '--duration', '6s'], cwd);
    expect(d.code).toBe(2);
    expect(d.stderr).toBe('connmodel simulate: --duration is given 2 times; give it once\n');
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });

  it('refuses a trace window of a run whose health checks would not fit a trace (exit 2, nothing run)', async () => {
    const cwd = join(dir, 'window');
    mkdirSync(cwd);
    const r = await cli(['simulate', '--duration', '9h', '--trace-window', '1m..1m1s'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^connmodel simulate: --trace-window: a run of 9h with a health check every 30s has up to 1081 checks per checker, and a trace's topology holds at most 1000; cut the window from a run of at most/);
    expect(existsSync(join(cwd, 'out'))).toBe(false);
  });
});
