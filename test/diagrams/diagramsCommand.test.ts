import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { seed, topologyNamed } from '../../models/topologies/index.js';
import { oneToOne, propertyNamed } from '../../properties/catalogue.js';
import { saveCounterexamples } from '../../src/report/counterexamples.js';
import { prepareDiagrams, runDiagrams } from '../../src/cli/diagramsCommand.js';
import { diagramSet } from '../../src/diagrams/diagramSet.js';
import { galleryMarkdown } from '../../src/diagrams/gallery.js';
import { check } from '../../src/explore/check.js';
import { traceToJson } from '../../src/trace/file.js';
import { parseMermaid } from './support/mermaidParser.js';

const tmp = mkdtempSync(join(tmpdir(), 'connmodel-diagrams-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const root = new URL('../../', import.meta.url).pathname;
const committed = join(root, 'diagrams');

describe('connmodel diagrams: bad input', () => {
  it.each([
    [['--format', 'gif'], /unknown image format 'gif'; allowed: svg, png/],
    [['--topology', 'nope'], /unknown topology 'nope'/],
    [['--out', 'package.json'], /--out 'package.json' is a file; it must be a directory/],
    [['--property', 'nope'], /unknown property 'nope'/],
    [['--format', 'svg', '--no-render'], /exclude each other/],
    [['--participants', 'JMETER'], /--participants needs --trace FILE/],
    [['--trace', join(tmp, 'missing.trace.json')], /trace file '.*missing\.trace\.json' not found/],
    [['--bogus'], /Unknown option '--bogus'.*allowed options/],
  ])('%j is refused with one clear message', (argv, message) => {
    expect(() => prepareDiagrams(argv)).toThrow(InputError);
    expect(() => prepareDiagrams(argv)).toThrow(message);
  });

  it('exits 2 and writes nothing (through the real command line)', () => {
    const out = join(tmp, 'never');
    const r = spawnSync('npx', ['tsx', 'src/cli.ts', 'diagrams', '--format', 'svg,gif', '--out', out], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("connmodel diagrams: unknown image format 'gif'; allowed: svg, png");
    expect(existsSync(out)).toBe(false);
  });
});

describe('connmodel diagrams --trace', () => {
  it('draws one saved trace, collapsed and cut as asked, beside it by default', async () => {
    const path = join(tmp, 'mine.trace.json');
    writeFileSync(path, readFileSync(join(committed, 'actual.trace.json'), 'utf8'));
    const argv = ['--trace', path, '--participants', 'JMETER,APIGW,NLB', '--requests', '2', '--no-render'];
    const p = prepareDiagrams(argv);
    expect(p).toMatchObject({ mode: 'trace', outDir: tmp, name: 'mine', formats: [] });
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      expect(await runDiagrams(p)).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    const puml = readFileSync(join(tmp, 'mine.puml'), 'utf8');
    expect([...puml.matchAll(/^participant (\S+)$/gm)].map((m) => m[1])).toEqual(['JMETER', 'APIGW', 'NLB']);
    expect(puml).toContain('APIGW -> NLB : **2 TCP conn. (gateway>nlb#2)**');
    expect(puml).not.toContain('3rd request');
    expect(await parseMermaid(readFileSync(join(tmp, 'mine.mmd'), 'utf8'))).toBe('sequence');
  });

  it('refuses participants the trace has not got, before writing', () => {
    const argv = ['--trace', join(committed, 'actual.trace.json'), '--participants', 'ALB', '--out', join(tmp, 'nope')];
    expect(() => prepareDiagrams(argv)).toThrow(/unknown participant 'ALB'/);
    expect(existsSync(join(tmp, 'nope'))).toBe(false);
  });
});

describe('check --out', () => {
  it('writes each counterexample trace with its PlantUML and Mermaid diagram beside it', async () => {
    const result = check(seed, oneToOne, { runs: 30 });
    expect(result.verdict).toBe('violated');
    const out = join(tmp, 'check');
    const saved = saveCounterexamples(out, seed, oneToOne, result);
    expect(saved.length).toBeGreaterThan(0);
    for (const s of saved) {
      const base = s.path.replace(/\.trace\.json$/, '');
      const puml = readFileSync(`${base}.puml`, 'utf8');
      expect(puml).toContain('one-to-one VIOLATED');
      expect(await parseMermaid(readFileSync(`${base}.mmd`, 'utf8'))).toBe('sequence');
    }
  });
});

describe('the committed diagrams/ folder', () => {
  it('holds exactly what `npm run diagrams` generates today (text; images are checked by rendering)', () => {
    // The counterexamples drawn are the ones the npm script asks for (`--property a,b@topology,...`).
    const script = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts.diagrams!;
    const asked = /--property (\S+)/.exec(script)![1]!.split(',');
    const properties = asked.map((n) => {
      const [name, on] = n.split('@');
      return on === undefined ? propertyNamed(name!) : { property: propertyNamed(name!), topology: topologyNamed(on) };
    });
    expect(properties[0]).toBe(oneToOne);
    const set = diagramSet({ topology: seed, properties });
    const expected = new Map<string, string>();
    for (const e of set.entries) {
      if (e.trace) expected.set(`${e.name}.trace.json`, traceToJson(e.trace));
      expected.set(`${e.name}.puml`, e.texts.puml);
      expected.set(`${e.name}.mmd`, e.texts.mmd);
    }
    expected.set('README.md', galleryMarkdown(set.entries, ['svg'], 'npm run diagrams'));
    const onDisk = readdirSync(committed).filter((f) => !f.endsWith('.svg') && !f.endsWith('.png'));
    expect(onDisk.sort()).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected)
      expect(readFileSync(join(committed, file), 'utf8'), `diagrams/${file} is stale: run \`npm run diagrams\``).toBe(text);
    // Every source has its rendered SVG beside it.
    for (const file of expected.keys()) if (/\.(puml|mmd)$/.test(file)) expect(existsSync(join(committed, `${file}.svg`)), `${file}.svg`).toBe(true);
  });
});
