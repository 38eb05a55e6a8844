import { OutputError } from '../io/errors.js';
import type { ImageFormat } from './imageFormats.js';
import { renderMermaid } from './mermaidRenderer.js';
import { renderPlantUml } from './plantumlRenderer.js';
import { findChromium, findGraphviz, findPlantUml, installHint, type Renderer } from './tools.js';

/** A diagram source to render: its path (`diagrams/actual.mmd`) and text; images go beside it (`actual.mmd.svg`). */
export interface RenderSource {
  path: string;
  text: string;
  /** PlantUML lays it out with Graphviz (every kind but sequence diagrams: our state diagrams). */
  graph?: boolean;
}

export interface RenderReport {
  /** Images written, in the order of the sources. */
  written: string[];
  /** One line saying what to install, when a renderer was missing (the text files are written regardless). */
  missing: string | null;
  /** Errors of renderers that were there but failed. */
  errors: string[];
}

/** How long a renderer may take for one diagram (Chromium) or one batch (PlantUML) before it is stopped and reported as failed. */
export const RENDER_TIMEOUT_MS = 120_000;

/** `diagrams/actual.mmd` -> `diagrams/actual.mmd.svg`: an image is named after the source it was drawn from. */
export const imagePath = (source: string, format: ImageFormat) => `${source}.${format}`;

/** A renderer's message, kept short: a crashing browser can print pages. */
const firstLines = (message: string) =>
  message
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('TROUBLESHOOTING'))
    .slice(0, 6)
    .join('\n');

/**
 * Renders Mermaid sources (`.mmd`) through mermaid-cli and a system Chromium,
 * and PlantUML sources (`.puml`) through a `plantuml` on PATH (and
 * Graphviz, for state diagrams), the two at once. A missing renderer is not an error: its sources stay text, and the
 * report says in one line what to install. A renderer that fails is in `errors`; an image that cannot be
 * saved throws its OutputError once both renderers are done.
 */
export async function renderSources(
  sources: readonly RenderSource[],
  formats: readonly ImageFormat[],
  save: (path: string, data: Uint8Array) => void,
  /** Where to look for the renderers (PATH, PUPPETEER_EXECUTABLE_PATH). */
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = RENDER_TIMEOUT_MS,
): Promise<RenderReport> {
  const written: string[] = [];
  const errors: string[] = [];
  const record = (path: string, data: Uint8Array) => {
    save(path, data);
    written.push(path);
  };
  const outputs = (path: string) => Object.fromEntries(formats.map((f) => [f, imagePath(path, f)]));
  const mermaid = sources.filter((s) => s.path.endsWith('.mmd'));
  const allPlantUml = sources.filter((s) => s.path.endsWith('.puml'));
  const chromium = mermaid.length > 0 ? findChromium(env) : null;
  const plantumlBin = allPlantUml.length > 0 ? findPlantUml(env) : null;
  const graphviz = allPlantUml.some((s) => s.graph) ? findGraphviz(env) : null;
  // Without Graphviz PlantUML draws an error message in place of a state diagram: render only the others.
  const plantuml = allPlantUml.filter((s) => !s.graph || graphviz);
  const missing: Renderer[] = [];
  if (formats.length > 0 && mermaid.length > 0 && !chromium) missing.push('chromium');
  if (formats.length > 0 && allPlantUml.length > 0 && !plantumlBin) missing.push('plantuml');
  if (formats.length > 0 && allPlantUml.some((s) => s.graph) && !graphviz) missing.push('graphviz');
  const tasks: Promise<void>[] = [];
  let failure: OutputError | null = null;
  if (formats.length > 0 && chromium)
    tasks.push(
      renderMermaid(mermaid.map((s) => ({ text: s.text, outputs: outputs(s.path) })), chromium, record, timeoutMs).catch((e: Error) => {
        if (e instanceof OutputError) failure ??= e;
        else errors.push(`mermaid: ${firstLines(e.message)}`);
      }),
    );
  if (formats.length > 0 && plantumlBin)
    tasks.push(
      renderPlantUml(plantuml.map((s) => ({ text: s.text, outputs: outputs(s.path), source: s.path })), plantumlBin, record, timeoutMs).catch((e: Error) => {
        if (e instanceof OutputError) failure ??= e;
        else errors.push(firstLines(e.message));
      }),
    );
  await Promise.all(tasks);
  // An image that could not be saved (a full disk) is the environment's failure, not the renderer's: exit 2, not 4.
  if (failure) throw failure;
  // Both renderers run at once: report images in source order, whatever order they finished in.
  const rank = new Map(sources.flatMap((s, i) => formats.map((f, k) => [imagePath(s.path, f), i * formats.length + k] as const)));
  written.sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  return { written, missing: missing.length > 0 ? installHint(missing, env) : null, errors };
}
