import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ImageFormat } from './imageFormats.js';

const run = promisify(execFile);

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
    for (const format of ['svg', 'png'] as const) {
      const wanted = jobs.map((j, i) => [j, i] as const).filter(([j]) => j.outputs[format] !== undefined);
      if (wanted.length === 0) continue;
      try {
        await run(plantuml, [`-t${format}`, '-charset', 'UTF-8', '-o', dir, ...wanted.map(([, i]) => inputs[i]!)], { maxBuffer: 16 << 20 });
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
        save(job.outputs[format]!, image);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
