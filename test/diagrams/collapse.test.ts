import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { noStarvation } from '../../properties/catalogue.js';
import { sequenceDiagram } from '../../src/diagrams/sequence.js';
import { traceDiagramOptions, traceDiagramTexts } from '../../src/diagrams/traceDiagrams.js';
import { cutOff, PNG_LIMIT, pngSize } from '../../src/diagrams/plantumlRenderer.js';
import { renderSources } from '../../src/diagrams/render.js';
import { check } from '../../src/explore/check.js';
import { writeBytesAtomic } from '../../src/io/atomicWrite.js';
import { counterexampleTrace } from '../../src/trace/counterexample.js';
import { readTrace } from '../../src/trace/file.js';
import { skipWithoutPlantUml } from './support/plantuml.js';

/**
 * Long counterexamples are drawn so that the violation is in the picture:
 * requests that repeat the one before are left out (one line says so), and a
 * PNG PlantUML cut off is refused, never saved as if whole.
 */
const result = check(seed, noStarvation, { runs: 1000, seed: 42 });
const cx = result.counterexample!;
const trace = counterexampleTrace(seed, noStarvation, cx, { maxSteps: result.bounds.maxSteps, seed: 42 });
const out = mkdtempSync(join(tmpdir(), 'connmodel-collapse-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('collapsing repeated requests', () => {
  it('no-starvation on the seed: requests 3–14 become one line; the 15th (last slot) and the starving 16th are drawn', () => {
    expect(cx.requests).toBe(16);
    const d = sequenceDiagram(seed, trace.events, traceDiagramOptions(trace));
    const marks = d.items.filter((i) => i.kind === 'divider' || i.kind === 'skip').map((i) => ('text' in i ? i.text : ''));
    expect(marks).toEqual([
      '1st request (r1.1)',
      '2nd request (r1.2)',
      'requests 3–14 (r1.3–r1.14): same as request 2, each on new connections',
      '15th request (r1.15)',
      '16th request (r1.16)',
    ]);
    const last = d.items.at(-1)!;
    expect(last.kind === 'note' && last.alert && last.lines[0]).toBe(`no-starvation VIOLATED (step ${cx.steps})`);
    // Every step drawn or left out is still accounted for (the report lights up the line for a left-out step).
    const skip = d.items.find((i) => i.kind === 'skip')!;
    expect(Math.min(...skip.steps)).toBeGreaterThan(Math.max(...d.items.filter((i) => i.kind === 'divider' && i.text.startsWith('2nd')).flatMap((i) => i.steps)));
    const uncollapsed = sequenceDiagram(seed, trace.events, { ...traceDiagramOptions(trace), collapse: false });
    expect(d.items.length).toBeLessThan(uncollapsed.items.length / 2);
  });

  it('PlantUML says it as a delay, Mermaid as a note across the lifelines', () => {
    const texts = traceDiagramTexts(trace);
    expect(texts.puml).toContain('...requests 3–14 (r1.3–r1.14): same as request 2, each on new connections...');
    expect(texts.mmd).toContain('Note over JMETER,RDS: requests 3–14 (r1.3–r1.14): same as request 2, each on new connections');
  });

  it('leaves a short counterexample as it is', () => {
    const t = readTrace(new URL('../../diagrams/one-to-one.trace.json', import.meta.url).pathname);
    const options = traceDiagramOptions(t);
    expect(options.collapse).toBe(true);
    expect(sequenceDiagram(t.topology, t.events, options)).toEqual(sequenceDiagram(t.topology, t.events, { ...options, collapse: false }));
  });
});

describe('PNGs never cut off silently', () => {
  const png = (width: number, height: number) => {
    const b = new Uint8Array(24);
    b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    new DataView(b.buffer).setUint32(16, width);
    new DataView(b.buffer).setUint32(20, height);
    return b;
  };

  it('reads a PNG’s size, and calls one that reaches the limit cut off', () => {
    expect(pngSize(png(2780, 2954))).toEqual({ width: 2780, height: 2954 });
    expect(pngSize(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(cutOff(png(2780, 2954), 4096)).toBeNull();
    expect(cutOff(png(2780, 4096), 4096)).toMatch(/2780x4096 px, PlantUML's limit \(PLANTUML_LIMIT_SIZE=4096\): it was cut off/);
  });

  it.skipIf(skipWithoutPlantUml)('the PNG of the no-starvation counterexample is whole: shorter than the limit, the starving request in it', async () => {
    const path = join(out, 'no-starvation.puml');
    const text = traceDiagramTexts(trace).puml;
    expect(text).not.toContain('newpage');
    expect(text).toContain('== 16th request (r1.16) ==');
    const r = await renderSources([{ path, text }], ['png'], writeBytesAtomic);
    expect(r.errors).toEqual([]);
    const size = pngSize(readFileSync(`${path}.png`))!;
    // Whole even under PlantUML's default limit (4096 px), far from ours.
    expect(size.height).toBeLessThan(4096);
    expect(size.height).toBeLessThan(PNG_LIMIT);
    expect(size.height).toBeGreaterThan(1500);
  });
});
