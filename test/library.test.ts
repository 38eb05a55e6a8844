/**
 * The README's library section is a program that runs: examples/library.ts,
 * quoted there verbatim, loads a topology file, checks a property and writes
 * a diagram, importing only the package's public name.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const program = readFileSync('examples/library.ts', 'utf8');
const out = mkdtempSync(join(tmpdir(), 'connmodel-library-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the library example', () => {
  it('is quoted in the README exactly', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(program.trim());
  });

  it('imports nothing but the public API', () => {
    const imports = [...program.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports.filter((i) => !i!.startsWith('node:'))).toEqual(['connmodel']);
  });

  it('runs: a verdict, a counterexample, a Mermaid diagram written', () => {
    const stdout = execFileSync(process.execPath, ['--import', 'tsx', 'examples/library.ts', out], {
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tsconfig.json' },
    });
    expect(stdout).toContain('one-to-one on seed-small: violated');
    expect(stdout).toContain('broken at gateway>nlb');
    expect(readFileSync(join(out, 'one-to-one.mmd'), 'utf8')).toMatch(/^sequenceDiagram/m);
  });
});
