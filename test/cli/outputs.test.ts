import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from './support/cli.js';
import { filesUnder } from './support/files.js';

/** Issue 16, outputs: named by topology and property, no stale files of an earlier run; and the wording of what is printed. */

const dir = mkdtempSync(join(tmpdir(), 'connmodel-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(import.meta.dirname, '../..');

describe('output files', () => {
  it('go to a directory per topology: two topologies never share a trace name', async () => {
    const cwd = join(dir, 'two');
    mkdirSync(cwd);
    expect((await cli(['check', '--topology', 'seed', '--property', 'one-to-one', '--runs', '20'], cwd)).code).toBe(1);
    expect((await cli(['check', '--topology', 'seed-small', '--property', 'one-to-one', '--runs', '20'], cwd)).code).toBe(1);
    const seedTrace = JSON.parse(readFileSync(join(cwd, 'out/seed/one-to-one.trace.json'), 'utf8')) as { topology: { name: string } };
    const smallTrace = JSON.parse(readFileSync(join(cwd, 'out/seed-small/one-to-one.trace.json'), 'utf8')) as { topology: { name: string } };
    expect([seedTrace.topology.name, smallTrace.topology.name]).toEqual(['seed', 'seed-small']);
  });

  it("an earlier run's files of the same property, which this run did not rewrite, are removed; nothing else", async () => {
    const cwd = join(dir, 'stale');
    const out = join(cwd, 'out/seed-small');
    mkdirSync(out, { recursive: true });
    // Left by an earlier run: a facet that broke then, a property that held now, and a file that is not ours.
    for (const f of ['one-to-one.client-cdn.trace.json', 'one-to-one.client-cdn.puml', 'one-to-one.client-cdn.mmd', 'queue-admission.trace.json', 'notes.txt', 'flow-bound.trace.json'])
      writeFileSync(join(out, f), 'old\n');
    const r = await cli(['check', '--topology', 'seed-small', '--property', 'one-to-one,queue-admission', '--runs', '20', '--json'], cwd);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { results: { property: string; boundaries?: Record<string, string> }[] };
    expect(report.results[0]!.boundaries!['client>cdn']).toBe('holds');
    const files = filesUnder(out);
    expect(files).not.toContain('one-to-one.client-cdn.trace.json');
    expect(files).not.toContain('one-to-one.client-cdn.puml');
    expect(files).not.toContain('queue-admission.trace.json');
    // Not this run's properties, or not ours: left alone.
    expect(files).toEqual(expect.arrayContaining(['notes.txt', 'flow-bound.trace.json', 'one-to-one.trace.json', 'one-to-one.puml', 'one-to-one.mmd']));
    for (const f of files.filter((x) => x.startsWith('one-to-one.'))) expect(readFileSync(join(out, f), 'utf8')).not.toBe('old\n');
  });

  it('--no-out writes nothing and removes nothing', async () => {
    const cwd = join(dir, 'none');
    mkdirSync(join(cwd, 'out/seed-small'), { recursive: true });
    writeFileSync(join(cwd, 'out/seed-small/queue-admission.trace.json'), 'old\n');
    expect((await cli(['check', '--topology', 'seed-small', '--property', 'queue-admission', '--runs', '5', '--no-out'], cwd)).code).toBe(0);
    expect(filesUnder(join(cwd, 'out'))).toEqual(['seed-small/queue-admission.trace.json']);
  });
});

describe('the wording of what is printed', () => {
  it('an undecided exhaustive run says so in its summary line', async () => {
    const r = await cli(['check', '--exhaustive', '--topology', 'mistaken', '--property', 'one-to-one', '--max-states', '300', '--no-out'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n0 of 1 property failed on 'mistaken' \(violated, or a bad state reachable\); 1 undecided \(nothing found, nothing proved\)\.\n$/);
  });

  it('counts images in the singular when there is one', async () => {
    const cwd = join(dir, 'one-image');
    const bin = join(cwd, 'bin');
    mkdirSync(bin, { recursive: true });
    // A PlantUML that draws every diagram as an empty SVG: `-tsvg -charset UTF-8 -o DIR FILE...`.
    writeFileSync(join(bin, 'plantuml'), '#!/bin/sh\nout="$5"; shift 5; for f in "$@"; do b=${f##*/}; echo "<svg/>" > "$out/${b%.puml}.svg"; done\n', { mode: 0o755 });
    const env = { PATH: process.env.PATH, PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH };
    process.env.PATH = bin;
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent';
    try {
      const r = await cli(['diagrams', '--trace', join(root, 'diagrams/actual.trace.json'), '--out', cwd, '--format', 'svg'], cwd);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^connmodel diagrams: 2 text files and 1 image in /);
    } finally {
      Object.assign(process.env, env);
      if (env.PUPPETEER_EXECUTABLE_PATH === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
    }
    expect(existsSync(join(cwd, 'actual.puml.svg'))).toBe(true);
  });

  it('a YAML file of several documents is told so in connmodel’s words, not the parser’s', async () => {
    writeFileSync(join(dir, 'two-docs.yaml'), 'extends: seed\n---\nextends: mistaken\n');
    const r = await cli(['check', '--topology', 'two-docs.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('two-docs.yaml:2:1: the file holds more than one YAML document (a `---` line after the first); a topology file is one document');
    expect(r.stderr).not.toMatch(/parseAllDocuments/);
  });
});
