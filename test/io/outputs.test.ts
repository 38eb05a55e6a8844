import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTextAtomic } from '../../src/io/atomicWrite.js';
import { makeDirectories } from '../../src/io/directories.js';
import { OutputError, osReason } from '../../src/io/errors.js';
import { preflightDirectory, preflightFile } from '../../src/io/preflight.js';
import { withScratchDirectory } from '../../src/io/scratch.js';
import { removeStaleFiles } from '../../src/io/staleFiles.js';

const dir = mkdtempSync(join(tmpdir(), 'connmodel-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'afile'), 'x');
/** A directory no file can be created in, whoever we are (root ignores permissions, not /proc). */
const unwritable = '/proc/connmodel-test';

describe('writeTextAtomic', () => {
  it('makes the directories and writes the whole text, leaving no temporary file', () => {
    const path = join(dir, 'a', 'b', 'c.txt');
    writeTextAtomic(path, 'hello');
    expect(readFileSync(path, 'utf8')).toBe('hello');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['c.txt']);
  });

  it('fails as an OutputError naming the path and the reason, leaving no temporary file', () => {
    mkdirSync(join(dir, 'isdir.txt'));
    expect(() => writeTextAtomic(join(dir, 'isdir.txt'), 'x')).toThrow(OutputError);
    expect(() => writeTextAtomic(join(dir, 'isdir.txt'), 'x')).toThrow(`cannot write '${join(dir, 'isdir.txt')}': it is a directory (EISDIR)`);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(() => writeTextAtomic(join(dir, 'afile', 'x.txt'), 'x')).toThrow(/is a file, not a directory/);
  });
});

describe('makeDirectories', () => {
  it('fails at once under /proc, where mkdir -p of node spins for ever', () => {
    const started = Date.now();
    expect(() => makeDirectories(join(unwritable, 'x'))).toThrow(OutputError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('preflight: outputs are checked before any work, and nothing is left behind', () => {
  it('accepts a directory to be made, and creates nothing', () => {
    preflightDirectory(join(dir, 'new', 'deeper'));
    expect(existsSync(join(dir, 'new'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('.connmodel-probe'))).toEqual([]);
  });

  it('refuses a file, a file on the way, an unwritable place, a directory given as a file', () => {
    expect(() => preflightDirectory(join(dir, 'afile'), '--out afile')).toThrow('--out afile is a file; it must be a directory (created if missing)');
    expect(() => preflightDirectory(join(dir, 'afile', 'sub'), '--out afile/sub')).toThrow(`--out afile/sub: '${join(dir, 'afile')}' is a file, not a directory`);
    expect(() => preflightDirectory(unwritable, '--out x')).toThrow(/^--out x cannot be written: creating a file in '\/proc' fails: /);
    expect(() => preflightFile(join(unwritable, 'm.md'), '--doc m.md')).toThrow(OutputError);
    expect(() => preflightFile(dir, '--doc d')).toThrow('--doc d is a directory; name a file');
  });
});

describe('removeStaleFiles', () => {
  it('removes only the files it recognises that this run did not write', () => {
    const d = join(dir, 'stale');
    mkdirSync(d);
    for (const f of ['p.trace.json', 'p.x.trace.json', 'q.trace.json', 'notes.txt']) writeFileSync(join(d, f), '');
    const removed = removeStaleFiles(d, (n) => n.startsWith('p.'), new Set([join(d, 'p.trace.json')]));
    expect(removed).toEqual([join(d, 'p.x.trace.json')]);
    expect(readdirSync(d).sort()).toEqual(['notes.txt', 'p.trace.json', 'q.trace.json']);
    expect(removeStaleFiles(join(dir, 'missing'), () => true, new Set())).toEqual([]);
  });
});

describe('withScratchDirectory', () => {
  it('removes its directory after the work, also when the work fails', async () => {
    let seen = '';
    await withScratchDirectory('connmodel-test-', async (d) => {
      seen = d;
      writeFileSync(join(d, 'x'), 'x');
    });
    expect(existsSync(seen)).toBe(false);
    await expect(
      withScratchDirectory('connmodel-test-', async (d) => {
        seen = d;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(seen)).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(0);
  });
});

describe('osReason', () => {
  it('says the reason in words with its code, and falls back to the message', () => {
    expect(osReason(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('no space left on device (ENOSPC)');
    expect(osReason(Object.assign(new Error('x'), { code: 'EWHATEVER' }))).toBe('ewhatever (EWHATEVER)');
    expect(osReason(new Error('plain'))).toBe('plain');
  });
});
