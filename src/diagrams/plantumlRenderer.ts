import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutputError } from '../io/errors.js';
import { withScratchDirectory } from '../io/scratch.js';
import type { ImageFormat } from './imageFormats.js';
import { runTool } from './runTool.js';

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
    for (const format of ['svg', 'png'] as const) {
      const wanted = jobs.map((j, i) => [j, i] as const).filter(([j]) => j.outputs[format] !== undefined);
      if (wanted.length === 0) continue;
      try {
        await runTool(plantuml, [`-t${format}`, '-charset', 'UTF-8', '-o', dir, ...wanted.map(([, i]) => inputs[i]!)], timeoutMs, onInterrupt);
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
        save(job.outputs[format]!, image);
      }
    }
  });
}
