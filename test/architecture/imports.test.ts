/**
 * Imports run one way (ARCHITECTURE.md): the layering and the absence of
 * cycles, read from the sources as they are; and the committed drawing of the
 * graph is the one the sources give.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { architectureDoc, ARCHITECTURE_MMD } from '../../src/architecture/doc.js';
import {
  directionViolations,
  fileCycles,
  folderCycles,
  folderGraphMermaid,
  importEdges,
  LAYERED_DIRS,
  sourceFiles,
  type ImportEdge,
} from '../../src/architecture/imports.js';

const root = process.cwd();
const all = sourceFiles(root, [...LAYERED_DIRS, 'test', 'bench']);
const edges = importEdges(root, all);

describe('imports', () => {
  it('are read from every source file', () => {
    expect(all.length).toBeGreaterThan(150);
    expect(edges.some((e) => e.from === 'src/kernel/step.ts' && e.to === 'src/kernel/events.ts')).toBe(true);
    expect(edges.some((e) => e.typeOnly)).toBe(true);
  });

  it('run one way: no import climbs a layer or crosses to a sibling folder', () => {
    expect(directionViolations(edges)).toEqual([]);
  });

  it('form no cycle between files, nor between folders', () => {
    expect(fileCycles(edges)).toEqual([]);
    expect(folderCycles(edges)).toEqual([]);
  });

  it('are refused when they run the wrong way (the check can fail)', () => {
    const bad: ImportEdge[] = [
      { from: 'src/kernel/step.ts', to: 'properties/catalogue.ts', line: 1, typeOnly: false },
      { from: 'src/trace/file.ts', to: 'src/diagrams/sequence.ts', line: 2, typeOnly: true },
      { from: 'src/explore/check.ts', to: 'src/topologyFile/load.ts', line: 3, typeOnly: false },
      { from: 'models/system.ts', to: 'test/fixtures/tapMachine.ts', line: 4, typeOnly: false },
    ];
    expect(directionViolations(bad)).toHaveLength(4);
    expect(fileCycles([...bad, { from: 'properties/catalogue.ts', to: 'src/kernel/step.ts', line: 1, typeOnly: false }])).toHaveLength(1);
  });
});

describe('the drawing of the import graph', () => {
  const graph = folderGraphMermaid(importEdges(root, sourceFiles(root, LAYERED_DIRS)));
  it(`in ${ARCHITECTURE_MMD} is the graph of the sources (npm run architecture)`, () => {
    expect(readFileSync(ARCHITECTURE_MMD, 'utf8')).toBe(graph);
  });
  it('in ARCHITECTURE.md is the same', () => {
    const doc = readFileSync('ARCHITECTURE.md', 'utf8');
    expect(architectureDoc(doc, graph)).toBe(doc);
  });
});
