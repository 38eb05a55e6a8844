import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { invocation } from '../../src/cli/invocation.js';
import { cliSource, connmodel, plainEnv, root } from './run.js';

/**
 * Every hint we print (`replay: …`) is a command that works from where the
 * user ran connmodel: `npx connmodel` inside the checkout (package.json's
 * `bin`), `connmodel` when it is on PATH, else `node path/to/cli.js`.
 */
const dir = mkdtempSync(join(tmpdir(), 'connmodel-hints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const distCli = join(root, 'dist', 'src', 'cli.js');

describe('invocation', () => {
  const env = { PATH: '/usr/bin:/bin' };
  it('the plain name for anything that is not the command line (a library call, a test)', () => {
    expect(invocation('/usr/lib/node_modules/vitest/vitest.mjs', root, env)).toBe('connmodel');
    expect(invocation(undefined, root, env)).toBe('connmodel');
  });

  it('npx connmodel under npx or an npm script, or from inside the package', () => {
    expect(invocation(distCli, dir, { ...env, npm_command: 'exec' })).toBe('npx connmodel');
    expect(invocation(distCli, dir, { ...env, npm_lifecycle_event: 'start' })).toBe('npx connmodel');
    expect(invocation(distCli, root, env)).toBe('npx connmodel');
    expect(invocation(cliSource, join(root, 'docs'), env)).toBe('npx connmodel');
  });

  it('connmodel when PATH has it as this very script (npm link, a global install)', () => {
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'connmodel'))) symlinkSync(distCli, join(bin, 'connmodel'));
    expect(invocation(distCli, dir, { PATH: `${bin}:/usr/bin` })).toBe('connmodel');
  });

  it('node and the path to the compiled script anywhere else', () => {
    expect(invocation(distCli, dir, env)).toBe(`node ${relative(dir, distCli)}`);
    expect(invocation(cliSource, dir, env)).toBe(`node ${relative(dir, distCli)}`);
  });
});

describe.skipIf(!existsSync(distCli))('the printed replay hint runs, from where check ran', () => {
  const hintOf = (stdout: string) => /^  replay: (.*)$/m.exec(stdout)![1]!;

  it('inside the checkout: npx connmodel replay …', () => {
    const r = connmodel(['check', '--property', 'one-to-one', '--runs', '20', '--out', join(dir, 'in')]);
    const hint = hintOf(r.stdout);
    expect(hint).toBe(`npx connmodel replay ${join(dir, 'in', 'seed', 'one-to-one.trace.json')}`);
    expect(execSync(`${hint} --quiet`, { cwd: root, env: plainEnv(), encoding: 'utf8' })).toMatch(/identical/);
  });

  it('outside it: node path/to/cli.js replay …', () => {
    const r = connmodel(['check', '--property', 'one-to-one', '--runs', '20', '--out', 'traces'], { cwd: dir });
    const hint = hintOf(r.stdout);
    expect(hint).toBe(`node ${relative(dir, distCli)} replay traces/seed/one-to-one.trace.json`);
    expect(execSync(`${hint} --quiet`, { cwd: dir, env: plainEnv(), encoding: 'utf8' })).toMatch(/identical/);
  });
});
