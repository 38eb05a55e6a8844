import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from '../io/errors.js';
import { withScratchDirectory } from '../io/scratch.js';
import type { ImageFormat } from './imageFormats.js';
import { runTool } from './runTool.js';

/**
 * PlantUML cuts a PNG off at PLANTUML_LIMIT_SIZE pixels (4096 by default),
 * silently. We raise the limit for long counterexamples, and refuse an image
 * that reaches it: a picture without its end would hide the violation.
 */
export const PNG_LIMIT = 16_384;

/** Width and height of a PNG, from its header (IHDR); null when it is not a PNG. */
export function pngSize(data: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (data.length < 24 || signature.some((b, i) => data[i] !== b)) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Why an image PlantUML drew is not the whole diagram, or null when it is. */
export function cutOff(data: Uint8Array, limit: number): string | null {
  const size = pngSize(data);
  if (!size || (size.width < limit && size.height < limit)) return null;
  return `the PNG is ${size.width}x${size.height} px, PlantUML's limit (PLANTUML_LIMIT_SIZE=${limit}): it was cut off`;
}

export interface PlantUmlJob {
  text: string;
  outputs: Partial<Record<ImageFormat, string>>;
  /** Named in error messages. */
  source: string;
}

/**
 * Renders PlantUML diagrams with the `plantuml` command: one run per format
 * for all diagrams (a JVM start costs more than a diagram), in a scratch
 * directory (removed afterwards, also on Ctrl-C), then `save` with each
 * image. A diagram PlantUML rejects fails the whole call, naming it; so does
 * a run that takes longer than `timeoutMs` (it is killed).
 */
export async function renderPlantUml(
  jobs: readonly PlantUmlJob[],
  plantuml: string,
  save: (path: string, data: Uint8Array) => void,
  timeoutMs: number,
): Promise<void> {
  if (jobs.length === 0) return;
  await withScratchDirectory('connmodel-plantuml-', async (dir, onInterrupt) => {
    // Scratch names are plain and numbered: PlantUML names its output after its input.
    const inputs = jobs.map((job, i) => {
      const path = join(dir, `d${i}.puml`);
      try {
        writeFileSync(path, job.text);
      } catch (e) {
        throw OutputError.failed(path, e);
      }
      return path;
    });
    const limit = Number(process.env.PLANTUML_LIMIT_SIZE) || PNG_LIMIT;
    const env = { ...process.env, PLANTUML_LIMIT_SIZE: String(limit) };
    const cut: string[] = [];
    for (const format of ['svg', 'png'] as const) {
      const wanted = jobs.map((j, i) => [j, i] as const).filter(([j]) => j.outputs[format] !== undefined);
      if (wanted.length === 0) continue;
      try {
        await runTool(plantuml, [`-t${format}`, '-charset', 'UTF-8', '-o', dir, ...wanted.map(([, i]) => inputs[i]!)], timeoutMs, onInterrupt, env);
      } catch (e) {
        const stderr = String((e as { stderr?: string }).stderr || (e as Error).message);
        const named = stderr.replace(/\S*d(\d+)\.puml/g, (_, i: string) => jobs[Number(i)]?.source ?? `d${i}.puml`);
        throw new Error(`plantuml failed: ${named.trim()}`);
      }
      for (const [job, i] of wanted) {
        let image: Buffer;
        try {
          image = readFileSync(join(dir, `d${i}.${format}`));
        } catch {
          throw new Error(`plantuml wrote no ${format} for ${job.source}`);
        }
        // PlantUML exits 0 when Graphviz fails, drawing the error instead: never save that as the diagram.
        if (format === 'svg' && /Dot Executable|Cannot find Graphviz/.test(image.toString('utf8')))
          throw new Error(`plantuml could not run Graphviz for ${job.source}: apt-get install -y graphviz`);
        const why = format === 'png' ? cutOff(image, limit) : null;
        if (why) cut.push(`${job.source}: ${why}; not saved (draw fewer requests, e.g. connmodel diagrams --trace FILE --requests N)`);
        else save(job.outputs[format]!, image);
      }
    }
    if (cut.length > 0) throw new Error(`plantuml: ${cut.join('; ')}`);
  });
}
