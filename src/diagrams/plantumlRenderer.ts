import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageFormat } from './imageFormats.js';

const run = promisify(execFile);

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
 * directory, then `save` with each image. A diagram PlantUML rejects fails
 * the whole call, naming it.
 */
export async function renderPlantUml(
  jobs: readonly PlantUmlJob[],
  plantuml: string,
  save: (path: string, data: Uint8Array) => void,
): Promise<void> {
  if (jobs.length === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'connmodel-plantuml-'));
  try {
    // Scratch names are plain and numbered: PlantUML names its output after its input.
    const inputs = jobs.map((job, i) => {
      const path = join(dir, `d${i}.puml`);
      writeFileSync(path, job.text);
      return path;
    });
    const limit = Number(process.env.PLANTUML_LIMIT_SIZE) || PNG_LIMIT;
    const env = { ...process.env, PLANTUML_LIMIT_SIZE: String(limit) };
    const cut: string[] = [];
    for (const format of ['svg', 'png'] as const) {
      const wanted = jobs.map((j, i) => [j, i] as const).filter(([j]) => j.outputs[format] !== undefined);
      if (wanted.length === 0) continue;
      try {
        await run(plantuml, [`-t${format}`, '-charset', 'UTF-8', '-o', dir, ...wanted.map(([, i]) => inputs[i]!)], { maxBuffer: 16 << 20, env });
      } catch (e) {
        const stderr = String((e as { stderr?: string }).stderr ?? (e as Error).message);
        const named = stderr.replace(/\S*d(\d+)\.puml/g, (_, i: string) => jobs[Number(i)]?.source ?? `d${i}.puml`);
        throw new Error(`plantuml failed: ${named.trim()}`);
      }
      for (const [job, i] of wanted) {
        const image = readFileSync(join(dir, `d${i}.${format}`));
        // PlantUML exits 0 when Graphviz fails, drawing the error instead: never save that as the diagram.
        if (format === 'svg' && /Dot Executable|Cannot find Graphviz/.test(image.toString('utf8')))
          throw new Error(`plantuml could not run Graphviz for ${job.source}: apt-get install -y graphviz`);
        const why = format === 'png' ? cutOff(image, limit) : null;
        if (why) cut.push(`${job.source}: ${why}; not saved (draw fewer requests, e.g. connmodel diagrams --trace FILE --requests N)`);
        else save(job.outputs[format]!, image);
      }
    }
    if (cut.length > 0) throw new Error(`plantuml: ${cut.join('; ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
