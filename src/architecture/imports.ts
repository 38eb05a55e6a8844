import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The project's real import graph, read from its sources: what the layering
 * test checks (test/architecture) and what ARCHITECTURE.md draws
 * (`npm run architecture`). Type-only imports count: they are dependencies too.
 */

/**
 * The layers, lowest first. A file may import from its own layer and from
 * lower ones; a layer with several folders keeps them apart (no imports
 * between sibling folders of one layer).
 */
export const LAYERS: readonly { name: string; folders: readonly string[]; about: string }[] = [
  { name: 'models', folders: ['models'], about: 'tier machines and their descriptors, presets, topologies, ids' },
  { name: 'io', folders: ['src/io'], about: 'atomic writes, bounded reads, output checks, scratch directories' },
  { name: 'kernel', folders: ['src/kernel'], about: 'system state, enabled occurrences, step(), trace events, canonical forms' },
  { name: 'drivers', folders: ['src/explore', 'src/topologyFile', 'src/simulate'], about: 'random and exhaustive exploration and the Property contract; topology and scenario files; simulation' },
  { name: 'traces', folders: ['src/trace'], about: 'trace files, replay, readable traces, flow counts' },
  { name: 'diagrams', folders: ['src/diagrams'], about: 'sequence and state diagrams, rendering' },
  { name: 'reports', folders: ['src/matrix', 'src/report', 'src/sweep'], about: 'the verdict matrix, sweeps over parameters, saved counterexamples, reports' },
  { name: 'properties', folders: ['properties'], about: 'the catalogue: plug-ins written against the Property contract' },
  { name: 'entry', folders: ['src/index.ts', 'src/internal.ts', 'src/cli', 'src/cli.ts'], about: 'the library API and the command line: the only places that wire the catalogue in' },
];

/** Outside the layers: tools for the project itself (tests, property suites, benchmarks, this file), never imported by the layers. */
const isTool = (file: string) => /\.(test|property)\.ts$/.test(file) || /^(test|bench|src\/architecture)\//.test(file);

export interface ImportEdge {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

const SOURCE = /\.ts$/;
const IMPORT = /^\s*(import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'|^\s*import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

/** Every .ts file under `dirs` (relative to `root`), as root-relative paths with `/`. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir)).sort()) {
      const rel = `${dir}/${entry}`;
      if (statSync(join(root, rel)).isDirectory()) {
        if (entry !== 'node_modules' && entry !== 'dist') walk(rel);
      } else if (SOURCE.test(entry)) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** The project-local imports of each file (package imports are left out). */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4] ?? m[5]!;
      if (!spec.startsWith('.')) continue;
      const target = relative(root, resolve(root, dirname(from), spec)).split(sep).join('/').replace(/\.js$/, '.ts');
      const line = text.slice(0, m.index).split('\n').length;
      edges.push({ from, to: target, line, typeOnly: m[2] !== undefined });
    }
  }
  return edges;
}

/** The layer (index into LAYERS) and folder of a file, or null for a tool file. */
export function placeOf(file: string): { layer: number; folder: string } | null {
  if (isTool(file)) return null;
  for (const [layer, l] of LAYERS.entries())
    for (const folder of l.folders) if (file === folder || file.startsWith(`${folder}/`)) return { layer, folder };
  return null;
}

/** Imports that run against the layers: upwards, or sideways between sibling folders of one layer. */
export function directionViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const a = placeOf(e.from);
    const b = placeOf(e.to);
    if (!a) continue; // tools may import anything
    if (!b) {
      out.push(`${e.from}:${e.line} imports ${e.to}, a tool file outside the layers`);
      continue;
    }
    if (b.layer > a.layer)
      out.push(`${e.from}:${e.line} (${LAYERS[a.layer]!.name}) imports ${e.to} (${LAYERS[b.layer]!.name}, a higher layer)`);
    else if (b.layer === a.layer && b.folder !== a.folder && a.layer !== LAYERS.length - 1)
      out.push(`${e.from}:${e.line} (${a.folder}) imports ${e.to} (${b.folder}): sibling folders of one layer stay apart`);
  }
  return out;
}

/** Import cycles between files, each as the list of files around it (strongly connected components of more than one file). */
export function fileCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!graph.has(e.from)) graph.set(e.from, new Set());
    graph.get(e.from)!.add(e.to);
  }
  return stronglyConnected(graph).filter((c) => c.length > 1 || graph.get(c[0]!)?.has(c[0]!));
}

/** Import cycles between folders (a folder's files as one node). */
export function folderCycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  return stronglyConnected(graph).filter((c) => c.length > 1);
}

/** A file's folder as a node of the folder graph (src/index.ts and src/cli.ts stand alone). */
export function folderOf(file: string): string {
  const place = placeOf(file);
  if (place) return place.folder;
  return file.split('/').slice(0, 2).join('/');
}

function stronglyConnected(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const nodes = new Set<string>([...graph.keys(), ...[...graph.values()].flatMap((s) => [...s])]);
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      out.push(comp.sort());
    }
  };
  for (const v of [...nodes].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/** The folder graph as a Mermaid flowchart, one subgraph per layer, an arrow per folder that imports another. */
export function folderGraphMermaid(edges: readonly ImportEdge[]): string {
  const arrows = new Set<string>();
  for (const e of edges) {
    if (!placeOf(e.from) || !placeOf(e.to)) continue;
    const a = folderOf(e.from);
    const b = folderOf(e.to);
    if (a !== b) arrows.add(`${a}\u0000${b}`);
  }
  const id = (folder: string) => folder.replace(/[^A-Za-z0-9]/g, '_');
  const lines = ['flowchart BT'];
  for (const l of [...LAYERS].reverse()) {
    lines.push(`  subgraph ${id(`layer ${l.name}`)}["${l.name}: ${l.about}"]`);
    for (const f of l.folders) lines.push(`    ${id(f)}["${f}"]`);
    lines.push('  end');
  }
  for (const k of [...arrows].sort()) {
    const [a, b] = k.split('\u0000') as [string, string];
    lines.push(`  ${id(a)} --> ${id(b)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The project's layered sources (tools and tests left out of the drawing but not of the checks). */
export const LAYERED_DIRS = ['models', 'src', 'properties'];
