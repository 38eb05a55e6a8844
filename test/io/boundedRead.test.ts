import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { jsonShapeProblem } from '../../src/io/boundedJson.js';
import { FileTooLargeError, readRegularFile } from '../../src/io/boundedRead.js';

const dir = mkdtempSync(join(tmpdir(), 'connmodel-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const read = (path: string, maxBytes = 1024) => readRegularFile(path, { what: 'test file', maxBytes });

describe('readRegularFile: bounded by bytes read, regular files only', () => {
  it('reads a regular file, also through a symbolic link, up to exactly its limit', () => {
    writeFileSync(join(dir, 'ok.txt'), 'x'.repeat(1024));
    symlinkSync(join(dir, 'ok.txt'), join(dir, 'link.txt'));
    expect(read(join(dir, 'ok.txt')).length).toBe(1024);
    expect(read(join(dir, 'link.txt')).length).toBe(1024);
  });

  it('refuses a file one byte over its limit', () => {
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(1025));
    expect(() => read(join(dir, 'big.txt'))).toThrow(FileTooLargeError);
    expect(() => read(join(dir, 'big.txt'))).toThrow(/is larger than 1 KiB/);
  });

  it('counts what it reads, not what stat says: a /proc file has size 0 and is read whole, and still bounded', () => {
    expect(read('/proc/self/status', 1 << 20).toString('utf8')).toMatch(/^Name:/);
    expect(() => read('/proc/self/status', 16)).toThrow(FileTooLargeError);
  });

  it('refuses /dev/zero behind a link before reading a byte, and a directory', () => {
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    mkdirSync(join(dir, 'sub.yaml'));
    expect(() => read(join(dir, 'zero.yaml'))).toThrow(/is a character device; connmodel reads only regular files/);
    expect(() => read(join(dir, 'sub.yaml'))).toThrow(/is a directory/);
  });

  it('does not block on a named pipe nobody writes to', () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(() => read(fifo)).toThrow(/is a named pipe/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('says what is missing, with the hint it was given, as an InputError', () => {
    expect(() => readRegularFile(join(dir, 'nope.yaml'), { what: 'topology file', maxBytes: 10, notFoundHint: 'try init' })).toThrow(
      new InputError(`topology file '${join(dir, 'nope.yaml')}' not found; try init`),
    );
    expect(() => read(join(dir, 'ok.txt', 'below'))).toThrow(/cannot read test file '.*': a part of the path is not a directory \(ENOTDIR\)/);
  });
});

describe('jsonShapeProblem: limits checked before JSON.parse builds anything', () => {
  const limits = { maxDepth: 4, maxContainers: 5 };
  it('passes what is within them, skipping brackets inside strings', () => {
    expect(jsonShapeProblem('{"a": [1, {"b": "[[[[[[{{{{\\"]]]"}]}', limits)).toBeNull();
  });
  it('refuses deep nesting and too many containers', () => {
    expect(jsonShapeProblem('[[[[[1]]]]]', limits)).toMatch(/nests more than 4 levels/);
    expect(jsonShapeProblem('[[],[],[],[],[]]', limits)).toMatch(/more than 5 objects and arrays/);
  });
});
