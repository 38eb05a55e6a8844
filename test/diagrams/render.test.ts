import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBytesAtomic } from '../../src/io/atomicWrite.js';
import { renderSources } from '../../src/diagrams/render.js';
import { findChromium, findGraphviz } from '../../src/diagrams/tools.js';
import { inCI, skipWithoutPlantUml } from './support/plantuml.js';

/**
 * Real rendering: Mermaid through mermaid-cli and the system Chromium, and
 * PlantUML (with Graphviz for state diagrams). Skipped on a developer machine
 * without them; in CI (CI=true), which installs them, a missing renderer fails.
 */
const chromium = findChromium();
const skipWithoutChromium = chromium === null && !inCI;
const skipWithoutGraphviz = findGraphviz() === null && !inCI;
const out = mkdtempSync(join(tmpdir(), 'connmodel-render-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const source = (name: string) => ({ path: join(out, name), text: readFileSync(new URL(`../../diagrams/${name}`, import.meta.url), 'utf8') });
const PARTICIPANTS = ['JMETER', 'APIGW', 'NLB', 'EC2', 'ConnCtrl', 'NGINX'];

describe.skipIf(skipWithoutChromium)('Mermaid through Chromium', () => {
  it('renders the actual diagram to an SVG that names every participant, the same bytes every time', async () => {
    if (chromium === null) throw new Error('no Chromium: CI must install it (apt-get install -y chromium)');
    const first = await renderSources([source('actual.mmd')], ['svg'], writeBytesAtomic);
    expect(first.errors).toEqual([]);
    expect(first.missing).toBeNull();
    expect(first.written).toEqual([join(out, 'actual.mmd.svg')]);
    const svg = readFileSync(join(out, 'actual.mmd.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    for (const p of PARTICIPANTS) expect(svg).toContain(`>${p}<`);
    expect(svg).toContain('3 TCP conn. (new)');
    await renderSources([source('actual.mmd')], ['svg'], writeBytesAtomic);
    expect(readFileSync(join(out, 'actual.mmd.svg'), 'utf8')).toBe(svg);
  });
});

describe.skipIf(skipWithoutPlantUml)('PlantUML', () => {
  it('renders the actual diagram to an SVG that names every participant', async () => {
    const r = await renderSources([source('actual.puml')], ['svg'], writeBytesAtomic);
    expect(r.errors).toEqual([]);
    const svg = readFileSync(join(out, 'actual.puml.svg'), 'utf8');
    for (const p of PARTICIPANTS) expect(svg).toContain(`>${p}<`);
  });

  it.skipIf(skipWithoutGraphviz)('renders state diagrams through Graphviz', async () => {
    if (findGraphviz() === null) throw new Error('no Graphviz: CI must install it (apt-get install -y graphviz)');
    const r = await renderSources([{ ...source('machine-l7Proxy.puml'), graph: true }], ['svg'], writeBytesAtomic);
    expect(r.errors).toEqual([]);
    expect(readFileSync(join(out, 'machine-l7Proxy.puml.svg'), 'utf8')).toContain('>serving<');
  });

  it('without Graphviz renders only the sequence diagrams, and says what to install', async () => {
    const written: string[] = [];
    const noDot = { ...process.env, GRAPHVIZ_DOT: '/nonexistent/dot' };
    const state = { ...source('machine-l7Proxy.puml'), graph: true };
    const r = await renderSources([source('actual.puml'), state], ['svg'], (p) => written.push(p), noDot);
    expect(written).toEqual([join(out, 'actual.puml.svg')]);
    expect(r.missing).toMatch(/^PlantUML state diagrams \(need Graphviz\) not rendered.*apt-get install -y graphviz$/);
  });

  it('reports a diagram it rejects, by name', async () => {
    const bad = { path: join(out, 'broken.puml'), text: '@startuml\nA -> : \nfoo bar baz\n@enduml\n' };
    const r = await renderSources([bad], ['svg'], writeBytesAtomic);
    expect(r.errors.join('\n')).toMatch(/plantuml failed: .*broken\.puml/s);
  });
});

describe('without renderers', () => {
  it('writes nothing, and says in one line what to install', async () => {
    const written: string[] = [];
    const env = { PATH: '/nonexistent', PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chromium' };
    const sources = [source('actual.mmd'), source('actual.puml'), { ...source('machine-l7Proxy.puml'), graph: true }];
    const r = await renderSources(sources, ['svg', 'png'], (p) => written.push(p), env);
    expect(written).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(r.missing).toBe(
      'Mermaid (needs Chromium) and PlantUML not rendered, text files written; to render: apt-get install -y chromium plantuml graphviz (PUPPETEER_EXECUTABLE_PATH=/nonexistent/chromium is not executable)',
    );
    expect(r.missing!.split('\n')).toHaveLength(1);
  });
});
