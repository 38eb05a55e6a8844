import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mistaken, seed, seedSmall } from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { oneToOne } from './oneToOne.js';
import { readTrace } from '../src/trace/file.js';
import { replayTrace } from '../src/trace/replay.js';
import { prepareMatrix } from '../src/cli/matrixCommand.js';
import { matrixJson } from '../src/matrix/json.js';
import { matrixMarkdown } from '../src/matrix/markdown.js';
import { runMatrix } from '../src/matrix/run.js';
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
    expect(md).toContain(`| \`seed-small\` | ✗ [violated](${join(out, 'seed-small', 'no-starvation.trace.json')}) | ✗ [reachable](${join(out, 'seed-small', 'health-blind-spot.trace.json')}) |`);
    // No witness in 20 runs is not a proof: it is never called unreachable.
    expect(md).toContain('| `mistaken` | ✓ holds | ✓ not found in 20 runs |');
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
      ['seed-small', 'violated', 'reachable'],
      ['mistaken', 'holds', 'not found'],
    ]);
  });

  it('shows machine coverage per topology', () => {
    const md = matrixMarkdown(m, null);
    expect(md).toContain('## Machine coverage');
    expect(md).toMatch(/\| `seed-small` \| \d+\/\d+ \|/);
    const json = matrixJson(m, null) as { topologies: { coverage: Record<string, { transitions: { total: number; exercised: number } }> }[] };
    expect(json.topologies[0]!.coverage.l7Proxy!.transitions.exercised).toBeGreaterThan(0);
  });

  it('marks a property that does not apply, and says why', () => {
    const noHealth: Topology = { ...mistaken, name: 'mistaken-without-health', healthCheck: undefined };
    const n = runMatrix({ topologies: [noHealth], properties: [healthBlindSpot], runs: 5, seed: SEED, outDir: out, command: 'connmodel matrix (test)' });
    const md = matrixMarkdown(n, null);
    expect(md).toContain('| `mistaken-without-health` | – not applicable |');
    expect(md).toContain('- `mistaken-without-health` health-blind-spot: no health check is modelled');
  });

  it('refuses bad input before doing anything', () => {
    expect(() => prepareMatrix(['--topologies', 'nope'])).toThrow(/unknown topology 'nope'; expected a shipped topology \(seed, mistaken, .*\) or a topology file/);
    expect(() => prepareMatrix(['--properties', 'nope'])).toThrow(/unknown property 'nope'/);
    expect(() => prepareMatrix(['--doc', 'matrix.txt'])).toThrow(/--doc must name a Markdown file/);
    expect(() => prepareMatrix(['--runs', '0'])).toThrow(/--runs must be a whole number from 1 to 10000000, found 0/);
  });
});

describe('connmodel matrix --exhaustive', () => {
  const out = mkdtempSync(join(tmpdir(), 'connmodel-matrix-x-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const pipeline = (t: Topology): Topology => ({ ...t, name: `${t.name}-pipeline`, healthCheck: undefined });

  it('searches every cell breadth-first: a shortest counterexample, a proof, or ? when the budget runs out', () => {
    const m = runMatrix({
      topologies: [pipeline(seed), pipeline(mistaken)],
      properties: [oneToOne],
      runs: 1,
      seed: SEED,
      outDir: out,
      command: 'connmodel matrix --exhaustive (test)',
      exhaustive: { maxStates: 2_000 },
    });
    const md = matrixMarkdown(m, null);
    expect(md).toContain('by exhaustive breadth-first search');
    expect(m.cells.map((c) => [c.topology, c.verdict])).toEqual([
      ['seed-pipeline', 'violated'],
      ['mistaken-pipeline', 'undecided'], // 1 × 1 complete, 1 × 2 cut by the budget
    ]);
    expect(m.cells[0]!.run!.steps).toBe(25);
    const replay = replayTrace(readTrace(m.cells[0]!.trace!), pipeline(seed), oneToOne);
    expect(replay.identical).toBe(true);
    expect(replay.violationReproduced).toBe(true);
    expect(md).toContain('| `mistaken-pipeline` | ? undecided |');
  });

  it('takes only properties it can search, and --max-states only with --exhaustive', () => {
    expect(prepareMatrix(['--exhaustive']).properties.map((p) => p.name)).toEqual(['one-to-one', 'queue-admission', 'conservation']);
    expect(() => prepareMatrix(['--exhaustive', '--properties', 'no-starvation'])).toThrow(/--exhaustive cannot check no-starvation/);
    expect(() => prepareMatrix(['--max-states', '10'])).toThrow(/--max-states applies to --exhaustive only/);
    expect(prepareMatrix(['--exhaustive', '--max-states', '10']).command).toBe('connmodel matrix --exhaustive --max-states 10');
  });
});
