import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSources } from '../../src/diagrams/render.js';
import { writeBytesAtomic } from '../../src/io/atomicWrite.js';
import { cli, spawnCli, STACK_FRAME } from './support/cli.js';
import { filesUnder, halfWritten, readOnlyDirectory } from './support/files.js';

/**
 * Issue 16, I/O: an output that cannot be written is bad input (exit 2, the
 * path and the OS reason), found before any work when it can be, and after
 * the results when it cannot (a full disk); renderers that fail or hang exit
 * 4; Ctrl-C leaves nothing in /tmp.
 */

const dir = mkdtempSync(join(tmpdir(), 'connmodel-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'afile'), 'not a directory\n');
const readOnly = readOnlyDirectory(dir);
const root = join(import.meta.dirname, '../..');
const committedTrace = join(root, 'diagrams/actual.trace.json');

/** One line on stderr, no stack, nothing on stdout. */
function oneLineError(r: { stdout: string; stderr: string }, pattern: RegExp) {
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(STACK_FRAME);
}

/** A fake renderer command: a shell script. */
function tool(name: string, script: string): string {
  const bin = join(dir, `bin-${name}`);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return bin;
}

describe('outputs are checked before any work (exit 2, nothing run)', () => {
  // 10 million schedules would take hours: a prompt answer shows that nothing ran.
  const huge = ['--property', 'one-to-one', '--runs', '10000000'];

  it('check --out a read-only directory', async () => {
    const started = Date.now();
    const r = await cli(['check', ...huge, '--out', join(readOnly, 'traces')], dir);
    expect(r.code).toBe(2);
    oneLineError(r, /^connmodel check: --out '.*' cannot be written: creating a file in '.*' fails: .*\((EACCES|ENOENT|EROFS|EPERM)\)\n$/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('check --out afile/sub', async () => {
    const r = await cli(['check', ...huge, '--out', 'afile/sub'], dir);
    expect(r.code).toBe(2);
    oneLineError(r, new RegExp(`^connmodel check: --out 'afile/sub': '${join(dir, 'afile')}' is a file, not a directory\\n$`));
  });

  it('init into a read-only directory', async () => {
    const r = await cli(['init', join(readOnly, 'my.yaml')], dir);
    expect(r.code).toBe(2);
    oneLineError(r, /^connmodel init: '.*my\.yaml' cannot be written: /);
  });

  it('matrix --doc into a read-only directory, before the whole matrix runs', async () => {
    const started = Date.now();
    const r = await cli(['matrix', '--out', join(dir, 'matrix'), '--doc', join(readOnly, 'matrix.md')], dir);
    expect(r.code).toBe(2);
    oneLineError(r, /^connmodel matrix: --doc '.*matrix\.md' cannot be written: /);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(join(dir, 'matrix'))).toBe(false);
  });
});

describe('a disk that fills up during a run', () => {
  it('prints the results whole, then the file it could not write and why, exits 2, and leaves no half-written file', async () => {
    const cwd = join(dir, 'full');
    mkdirSync(cwd);
    // 32 KiB per file: the headline trace (about 28 KiB, its topology with every parameter's source) fits, a longer facet's does not (EFBIG, as ENOSPC would be).
    const r = await spawnCli(['check', '--property', 'one-to-one', '--runs', '20', '--json'], { cwd, maxFileBytes: 32 * 1024 });
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout) as { results: { verdict: string; counterexample: { trace: string | null } }[] };
    expect(report.results[0]!.verdict).toBe('violated');
    expect(r.stderr).toMatch(/^connmodel check: cannot write 'out\/seed\/one-to-one\.[a-z-]+\.trace\.json': file too large .*\(EFBIG\) \(the results above are complete; files from that one on were not written\)\n$/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    const files = filesUnder(join(cwd, 'out'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(halfWritten(join(cwd, 'out', f)), f).toBeNull();
    // What was saved is what the report names.
    expect(report.results[0]!.counterexample.trace).toBe('out/seed/one-to-one.trace.json');
  });
});

describe('diagram renderers: their own exit code (4), never 1', () => {
  it('a Chromium that fails to start: exit 4, the text diagrams written, one line saying what failed', async () => {
    const cwd = join(dir, 'broken-chromium');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'mine.trace.json'), readFileSync(committedTrace));
    const chromium = join(tool('chromium', 'echo "chromium: cannot open display" >&2; exit 1'), 'chromium');
    const r = await spawnCli(['diagrams', '--trace', 'mine.trace.json', '--format', 'svg'], {
      cwd,
      // No PlantUML on PATH: only Mermaid is rendered, through the broken Chromium.
      env: { PUPPETEER_EXECUTABLE_PATH: chromium, PATH: '/nonexistent' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/render failed: mermaid: Failed to launch the browser process/);
    expect(r.stderr).not.toMatch(STACK_FRAME);
    expect(readdirSync(cwd).sort()).toEqual(expect.arrayContaining(['mine.mmd', 'mine.puml']));
  });

  it('a Chromium that hangs is stopped after the timeout and reported, its scratch directory removed', async () => {
    const chromium = join(tool('hanging', 'exec sleep 60'), 'hanging');
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('connmodel-mermaid-'));
    const started = Date.now();
    const source = { path: join(dir, 'hang.mmd'), text: readFileSync(join(root, 'diagrams/actual.mmd'), 'utf8') };
    const r = await renderSources([source], ['svg'], writeBytesAtomic, { PUPPETEER_EXECUTABLE_PATH: chromium, PATH: '/nonexistent' }, 1500);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatch(/^mermaid: .*(Timed out after 1500 ms|did not finish within 1.5 s)/);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('connmodel-mermaid-'))).toEqual(before);
  });

  it('PlantUML that hangs is stopped after the timeout', async () => {
    const bin = tool('plantuml', 'exec sleep 60');
    const started = Date.now();
    const r = await renderSources([{ path: join(dir, 'hang.puml'), text: '@startuml\nA -> B\n@enduml\n' }], ['svg'], writeBytesAtomic, { PATH: bin }, 1500);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.errors).toEqual([`plantuml failed: ${join(bin, 'plantuml')} did not finish within 1.5 s and was stopped`]);
  });

  it('Ctrl-C while rendering ends the command and leaves no scratch directory in /tmp', async () => {
    const cwd = join(dir, 'interrupted');
    const tmp = join(dir, 'tmp-for-ctrl-c');
    mkdirSync(cwd);
    mkdirSync(tmp);
    const bin = tool('plantuml', 'exec sleep 60');
    let pid = 0;
    const run = spawnCli(['diagrams', '--trace', committedTrace, '--out', cwd, '--format', 'svg'], {
      cwd,
      // The fake PlantUML first; sleep is in /usr/bin.
      env: { TMPDIR: tmp, PUPPETEER_EXECUTABLE_PATH: '/nonexistent', PATH: `${bin}:/usr/bin:/bin` },
      started: (p) => (pid = p),
      timeoutMs: 150_000,
    });
    // Wait until PlantUML is running in its scratch directory (a loaded machine takes a while to start node), then press Ctrl-C.
    for (let i = 0; i < 1800 && !readdirSync(tmp).some((f) => f.startsWith('connmodel-plantuml-')); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp).some((f) => f.startsWith('connmodel-plantuml-'))).toBe(true);
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.signal === 'SIGINT' || r.code === 130).toBe(true);
    expect(readdirSync(tmp).filter((f) => f.startsWith('connmodel-'))).toEqual([]);
  }, 180_000);
});
