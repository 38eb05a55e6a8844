import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { writeTextAtomic } from '../../src/io/atomicWrite.js';

/** A disk that fills up after `budget` bytes: writes get what fits, then ENOSPC (the io layer's writes go through node:fs). */
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

const dir = mkdtempSync(join(tmpdir(), 'connmodel-full-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a disk that fills up during a write', () => {
  it('is an OutputError with the path and the reason, and leaves neither the file nor its temporary', () => {
    disk.budget = 100;
    expect(() => writeTextAtomic(join(dir, 'trace.json'), 'x'.repeat(1000))).toThrow(`cannot write '${join(dir, 'trace.json')}': no space left on device (ENOSPC)`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves the earlier version of the file whole', () => {
    disk.budget = Infinity;
    writeTextAtomic(join(dir, 'kept.json'), 'old');
    disk.budget = 1;
    expect(() => writeTextAtomic(join(dir, 'kept.json'), 'new and longer')).toThrow(/ENOSPC/);
    disk.budget = Infinity;
    expect(readdirSync(dir)).toEqual(['kept.json']);
    expect(readFileSync(join(dir, 'kept.json'), 'utf8')).toBe('old');
  });
});
