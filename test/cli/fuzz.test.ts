import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedSmall } from '../../models/topologies/index.js';
import { healthBlindSpot, oneToOne } from '../../properties/catalogue.js';
import { check } from '../../src/explore/check.js';
import { counterexampleTrace } from '../../src/trace/counterexample.js';
import { traceToJson } from '../../src/trace/file.js';
import { cli, spawnCli, STACK_FRAME, type CliRun } from './support/cli.js';
import { filesUnder, halfWritten } from './support/files.js';
import { caseArbitrary, type Fixtures, type FuzzCase } from './support/fuzzCases.js';

/**
 * The command line end to end under fuzzing (issue 16): generated command
 * lines with odd values, broken and hostile files, outputs that cannot be
 * written and disks that fill up. Every case must exit with a documented code
 * (0, 1, 2 or 4: never 3, an internal error), print no stack trace and no raw
 * control character, leave no file half-written (and none at all when it
 * refuses its input), and stay within bounded memory. Cases run in this
 * process through the CLI's own entry point (src/cli/main.ts); a sample runs
 * as real processes, with a small heap, to check the real exit codes.
 *
 * CONNMODEL_FUZZ_CASES sets the number of cases (CI: 2,000; `npm run fuzz`: 50,000).
 */

const CASES = Number(process.env.CONNMODEL_FUZZ_CASES ?? 2000);
const SEED = Number(process.env.CONNMODEL_FUZZ_SEED ?? 16);
const SPAWNED = 16;

/** A disk that fills up: writes get what fits of the budget, then ENOSPC. The io layer writes through node:fs. */
const disk = vi.hoisted(() => ({ budget: Infinity }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const writeSync = ((fd: number, data: Uint8Array, offset: number, length: number) => {
    const n = Math.min(length, disk.budget);
    if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    disk.budget -= n;
    return real.writeSync(fd, data, offset, n);
  }) as typeof real.writeSync;
  return { ...real, writeSync, default: { ...real, writeSync } };
});

const root = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'connmodel-cli-fuzz-'));
const inputs = join(work, 'inputs');
let fixtures: Fixtures;
const renderEnv = { PATH: process.env.PATH, PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH };

beforeAll(async () => {
  mkdirSync(inputs);
  const at = (name: string) => join(inputs, name);
  writeFileSync(at('afile'), 'a file, not a directory\n');
  writeFileSync(at('mine.yaml'), 'extends: seed-small\nname: mine\n');
  writeFileSync(at('ext.yaml'), 'extends: mine.yaml\nname: ext\ntiers:\n  connQueue: { limit: 3 }\n');
  symlinkSync('/dev/zero', at('zero.yaml'));
  symlinkSync('/dev/zero', at('zero.trace.json'));
  symlinkSync('/dev/null', at('null.json'));
  symlinkSync(at('loop.yaml'), at('loop.yaml'));
  execFileSync('mkfifo', [at('pipe.yaml'), at('pipe.trace.json')]);
  mkdirSync(at('dir.yaml'));
  mkdirSync(at('dir.trace.json'));
  writeFileSync(at('big.yaml'), `description: ${'x'.repeat(300 * 1024)}\n`);
  writeFileSync(at('big.trace.json'), Buffer.alloc(17 * 2 ** 20, 0x20));
  // Traces connmodel writes: a counterexample, a witness, a scripted run, one of a topology file.
  const small = check(seedSmall, oneToOne, { runs: 20 });
  const witness = check(seedSmall, healthBlindSpot, { runs: 20 });
  const traceTexts = [
    traceToJson(counterexampleTrace(seedSmall, oneToOne, small.counterexample!, { maxSteps: small.bounds.maxSteps, seed: small.seed })),
    traceToJson(counterexampleTrace(seedSmall, healthBlindSpot, witness.witness!, { maxSteps: witness.bounds.maxSteps, seed: witness.seed })),
    readFileSync(join(root, 'diagrams/actual.trace.json'), 'utf8'),
  ];
  const made = await cli(['check', '--topology', at('mine.yaml'), '--property', 'one-to-one', '--runs', '5', '--out', at('made')]);
  expect(made.code).toBe(1);
  traceTexts.push(readFileSync(at('made/mine/one-to-one.trace.json'), 'utf8'));
  fixtures = {
    traceTexts,
    topologyFiles: [at('mine.yaml'), at('ext.yaml')],
    hostile: ['zero.yaml', 'zero.trace.json', 'null.json', 'loop.yaml', 'pipe.yaml', 'pipe.trace.json', 'dir.yaml', 'dir.trace.json', 'big.yaml', 'big.trace.json', 'afile/x.yaml'].map(at),
    afile: at('afile'),
    topologyTexts: [readFileSync(join(root, 'examples/seed.yaml'), 'utf8'), readFileSync(join(root, 'examples/sidecar-chain.yaml'), 'utf8'), 'extends: seed-small\ntiers:\n  connQueue: { limit: 3 }\n'],
  };
  // No renderer in this process: rendering would take seconds per case (the ioFailures tests render).
  process.env.PATH = '/nonexistent';
  process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chromium';
}, 120_000);

afterAll(() => {
  Object.assign(process.env, renderEnv);
  if (renderEnv.PUPPETEER_EXECUTABLE_PATH === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
  rmSync(work, { recursive: true, force: true });
});

/** Every file under `dir` with its size and time, to tell what a run wrote. */
function snapshot(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).map((f) => [f, ((s) => `${s?.size}:${s?.mtimeMs}`)(statSync(join(dir, f), { throwIfNoEntry: false }))]));
}

/** The case's directory, with the files it needs. */
function prepare(c: FuzzCase, dir: string): void {
  mkdirSync(join(dir, 'gen'), { recursive: true });
  mkdirSync(join(dir, 'dir.yaml'));
  mkdirSync(join(dir, 'dir.md'));
  for (const f of c.files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.text);
  }
}

const log = (line: string) => process.env.CONNMODEL_FUZZ_LOG && writeFileSync(process.env.CONNMODEL_FUZZ_LOG, `${line}\n`, { flag: 'a' });
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const stats = { cases: 0, codes: new Map<number | null, number>(), full: 0, peakHeapMb: 0, ms: 0 };

/** What every run must satisfy, whatever it was given. */
function invariants(c: FuzzCase, dir: string, before: Map<string, string>, r: CliRun): void {
  const what = JSON.stringify(c.argv).slice(0, 500);
  expect([0, 1, 2, 4], `${what}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`).toContain(r.code);
  expect(r.stderr, what).not.toMatch(STACK_FRAME);
  expect(r.stderr, what).not.toMatch(/internal error \(exit 3/);
  expect(r.stdout + r.stderr, what).not.toMatch(UNPRINTABLE);
  const written = [...snapshot(dir)].filter(([f, s]) => before.get(f) !== s).map(([f]) => f);
  for (const f of written) expect(halfWritten(join(dir, f)), `${what}: ${f}`).toBeNull();
  for (const f of filesUnder(dir)) expect(f, what).not.toMatch(/\.tmp-\d+|\.connmodel-probe-/);
  // Input refused before any work: nothing written at all.
  if (r.code === 2 && r.stdout === '' && !/cannot (write|remove|list|create) /.test(r.stderr)) expect(written, `${what}\n${r.stderr}`).toEqual([]);
}

describe('the command line under fuzzing', () => {
  it(`${CASES} generated cases in this process: documented exit codes, no stack trace, nothing half-written, bounded memory`, async () => {
    let n = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(caseArbitrary(fixtures), async (c) => {
        const dir = join(work, `case-${n++}`);
        prepare(c, dir);
        const before = snapshot(dir);
        disk.budget = c.diskBudget ?? Infinity;
        // CONNMODEL_FUZZ_LOG=FILE: each case before it runs (a hang names itself), then its time, exit code and first error line.
        log(`${n - 1} ${JSON.stringify(c).slice(0, 3000)}`);
        const t0 = performance.now();
        let r: CliRun;
        try {
          r = await cli(c.argv, dir);
        } finally {
          disk.budget = Infinity;
        }
        log(`  ${Math.round(performance.now() - t0)} ms, exit ${r.code}: ${r.stderr.split('\n')[0]!.slice(0, 200)}`);
        invariants(c, dir, before, r);
        const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
        stats.peakHeapMb = Math.max(stats.peakHeapMb, heapMb);
        expect(heapMb, JSON.stringify(c.argv)).toBeLessThan(1024);
        stats.cases++;
        stats.codes.set(r.code, (stats.codes.get(r.code) ?? 0) + 1);
        if (c.diskBudget !== null && /ENOSPC/.test(r.stderr)) stats.full++;
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: CASES, seed: SEED, endOnFailure: true },
    );
    stats.ms = performance.now() - started;
    process.stderr.write(
      `cli fuzz: ${stats.cases} cases in ${(stats.ms / 1000).toFixed(1)} s; exit codes ${JSON.stringify(Object.fromEntries([...stats.codes].sort()))}; ${stats.full} disks filled up; peak heap ${Math.round(stats.peakHeapMb)} MB\n`,
    );
    // The fuzzing reached every outcome: runs that held, violations, refused input, full disks.
    expect(stats.cases).toBe(CASES);
    for (const code of [0, 1, 2]) expect(stats.codes.get(code) ?? 0, `exit ${code}`).toBeGreaterThan(CASES / 100);
    expect(stats.full).toBeGreaterThan(0);
  }, Math.max(300_000, CASES * 200));

  it(`a sample of ${SPAWNED} cases as real processes (256 MB heap): the same exit codes as in-process`, async () => {
    const cases = fc.sample(caseArbitrary(fixtures), { numRuns: SPAWNED, seed: SEED + 1 }).filter((c) => c.diskBudget === null && c.argv.every((a) => !a.includes('\u0000')));
    const results: [FuzzCase, CliRun, CliRun, string][] = [];
    // Two at a time: this machine has two cores.
    for (let i = 0; i < cases.length; i += 2)
      results.push(
        ...(await Promise.all(
          cases.slice(i, i + 2).map(async (c, k) => {
            const dir = join(work, `spawned-${i + k}`);
            const inDir = join(work, `spawned-${i + k}-in-process`);
            prepare(c, dir);
            cpSync(dir, inDir, { recursive: true });
            const before = snapshot(dir);
            const real = await spawnCli(c.argv, { cwd: dir, maxOldSpaceMb: 256, env: { PATH: '/nonexistent', PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' } });
            invariants(c, dir, before, real);
            const inProcess = await cli(c.argv, inDir);
            return [c, real, inProcess, dir] as [FuzzCase, CliRun, CliRun, string];
          }),
        )),
      );
    expect(results.length).toBeGreaterThan(SPAWNED / 2);
    for (const [c, real, inProcess] of results) expect(real.code, `${JSON.stringify(c.argv)}\n${real.stderr}`).toBe(inProcess.code);
  }, 300_000);

  it('real processes on a disk that fills up (ulimit): exit 2 after the results, no file half-written', async () => {
    const dir = join(work, 'ulimit');
    mkdirSync(dir);
    const r = await spawnCli(['check', '--topology', 'seed-small', '--property', 'one-to-one', '--runs', '20'], { cwd: dir, maxFileBytes: 4096, maxOldSpaceMb: 256 });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('one-to-one');
    expect(r.stderr).toMatch(/^connmodel check: cannot write '.*': file too large .*\(EFBIG\)/);
    for (const f of filesUnder(dir)) expect(halfWritten(join(dir, f)), f).toBeNull();
  }, 60_000);
});
