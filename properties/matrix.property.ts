import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mistaken, seedSmall } from '../models/topologies/index.js';
import { matrixJson, matrixMarkdown, prepareMatrix, runMatrix } from '../src/cli/matrixCommand.js';
import { healthBlindSpot } from './healthBlindSpot.js';
import { noStarvation } from './noStarvation.js';

const SEED = 42;

describe('connmodel matrix', () => {
  const out = mkdtempSync(join(tmpdir(), 'connmodel-matrix-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const m = runMatrix({
    topologies: [seedSmall, mistaken],
    properties: [noStarvation, healthBlindSpot],
    runs: 20,
    seed: SEED,
    outDir: out,
    command: 'connmodel matrix (test)',
  });

  it('has a row per topology and a cell per property, each ✗ linked to its trace', () => {
    const md = matrixMarkdown(m, null);
    expect(md).toContain('| topology | no-starvation | health-blind-spot |');
    expect(md).toContain(`| \`seed-small\` | ✗ [violated](${join(out, 'seed-small', 'no-starvation.trace.json')}) | ✗ [holds](${join(out, 'seed-small', 'health-blind-spot.trace.json')}) (reachable) |`);
    expect(md).toContain('| `mistaken` | ✓ holds | ✓ violated (unreachable) |');
    for (const c of m.cells.filter((x) => x.run)) {
      expect(existsSync(c.trace!), c.trace).toBe(true);
      expect(existsSync(c.diagram!), c.diagram).toBe(true);
    }
  });

  it('links relative to the document it writes', () => {
    const md = matrixMarkdown({ ...m, cells: m.cells.map((c) => (c.trace ? { ...c, trace: 'docs/matrix/seed-small/no-starvation.trace.json' } : c)) }, 'docs/matrix.md');
    expect(md).toContain('[violated](matrix/seed-small/no-starvation.trace.json)');
  });

  it('gives the same verdicts as JSON', () => {
    const json = matrixJson(m, null) as { topologies: { name: string; results: Record<string, { verdict: string; healthy: boolean }> }[] };
    expect(json.topologies.map((t) => [t.name, t.results['no-starvation']!.verdict, t.results['health-blind-spot']!.verdict])).toEqual([
      ['seed-small', 'violated', 'holds'],
      ['mistaken', 'holds', 'violated'],
    ]);
  });

  it('refuses bad input before doing anything', () => {
    expect(() => prepareMatrix(['--topologies', 'nope'])).toThrow(/unknown topology 'nope'; expected a shipped topology \(seed, mistaken, .*\) or a topology file/);
    expect(() => prepareMatrix(['--properties', 'nope'])).toThrow(/unknown property 'nope'/);
    expect(() => prepareMatrix(['--doc', 'matrix.txt'])).toThrow(/--doc must name a Markdown file/);
    expect(() => prepareMatrix(['--runs', '0'])).toThrow(/--runs must be between 1/);
  });
});
