import { join } from 'node:path';
import type { Topology } from '../../models/topologies/topology.js';
import type { CheckOptions } from '../explore/check.js';
import { writeBytesAtomic, writeTextAtomic } from '../io/atomicWrite.js';
import { traceToJson, type TraceFile } from '../trace/file.js';
import { diagramSet, type DiagramEntry, type DiagramSetOptions } from './diagramSet.js';
import { galleryMarkdown } from './gallery.js';
import type { ImageFormat } from './imageFormats.js';
import { renderSources, type RenderSource } from './render.js';
import type { SequenceOptions } from './sequence.js';
import { traceDiagramTexts } from './traceDiagrams.js';

export interface DiagramsReport {
  /** Text files written: sources, traces, the gallery. */
  files: string[];
  /** Images rendered. */
  images: string[];
  /** What was not drawn, and why. */
  notes: string[];
  /** One line saying what to install, when a renderer was missing. */
  missing: string | null;
  errors: string[];
  /** Milliseconds spent running the model and spent rendering. */
  timings: { model: number; render: number };
}

export interface WriteDiagramsOptions {
  outDir: string;
  topology: Topology;
  properties: DiagramSetOptions['properties'];
  /** Images to render; empty: text only. */
  formats: readonly ImageFormat[];
  check?: Partial<CheckOptions>;
  /** How to regenerate, for the gallery (default: `npm run diagrams`). */
  command?: string;
}

/** Writes entries' sources (and traces) to `outDir`, atomically; returns the paths and what to render. */
function writeEntries(outDir: string, entries: readonly DiagramEntry[]): { files: string[]; sources: RenderSource[] } {
  const files: string[] = [];
  const sources: RenderSource[] = [];
  const put = (name: string, text: string) => {
    const path = join(outDir, name);
    writeTextAtomic(path, text);
    files.push(path);
    return path;
  };
  for (const e of entries) {
    if (e.trace) put(`${e.name}.trace.json`, traceToJson(e.trace));
    sources.push({ path: put(`${e.name}.puml`, e.texts.puml), text: e.texts.puml, graph: e.section === 'machine' });
    sources.push({ path: put(`${e.name}.mmd`, e.texts.mmd), text: e.texts.mmd });
  }
  return { files, sources };
}

async function render(sources: RenderSource[], formats: readonly ImageFormat[]) {
  const started = performance.now();
  const r = await renderSources(sources, formats, writeBytesAtomic);
  return { ...r, ms: Math.round(performance.now() - started) };
}

/**
 * `connmodel diagrams`: draws the whole set (see `diagramSet`) into `outDir`
 * with a README gallery, then renders every source to each format. Every
 * text file is written before any rendering starts, so a missing or failing
 * renderer still leaves the text diagrams.
 */
export async function writeDiagrams(o: WriteDiagramsOptions): Promise<DiagramsReport> {
  const started = performance.now();
  const set = diagramSet({ topology: o.topology, properties: o.properties, check: o.check });
  const model = Math.round(performance.now() - started);
  const { files, sources } = writeEntries(o.outDir, set.entries);
  const gallery = join(o.outDir, 'README.md');
  writeTextAtomic(gallery, galleryMarkdown(set.entries, o.formats, o.command ?? 'npm run diagrams'));
  files.push(gallery);
  const r = await render(sources, o.formats);
  return { files, images: r.written, notes: set.notes, missing: r.missing, errors: r.errors, timings: { model, render: r.ms } };
}

/** Draws one saved trace as `<name>.puml` and `<name>.mmd` in `outDir`, and renders them. */
export async function writeTraceDiagram(
  trace: TraceFile,
  name: string,
  outDir: string,
  formats: readonly ImageFormat[],
  options: SequenceOptions = {},
): Promise<DiagramsReport> {
  const started = performance.now();
  const texts = traceDiagramTexts(trace, options);
  const model = Math.round(performance.now() - started);
  const { files, sources } = writeEntries(outDir, [{ name, section: 'counterexample', caption: '', texts, trace: null }]);
  const r = await render(sources, formats);
  return { files, images: r.written, notes: [], missing: r.missing, errors: r.errors, timings: { model, render: r.ms } };
}
