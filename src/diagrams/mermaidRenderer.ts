import type { ImageFormat } from './imageFormats.js';
import { CHROMIUM_ARGS } from './tools.js';

/**
 * Mermaid settings for rendering: ids derived from a fixed seed instead of
 * random ones, so the same diagram renders to the same SVG bytes and
 * regenerating `diagrams/` gives no diff.
 */
export const MERMAID_CONFIG = {
  deterministicIds: true,
  deterministicIDSeed: 'connmodel',
  // Notes in state diagrams are drawn with roughjs, whose strokes are random unless seeded.
  handDrawnSeed: 1,
  theme: 'default',
} as const;

export interface MermaidJob {
  text: string;
  /** Where each format goes. */
  outputs: Partial<Record<ImageFormat, string>>;
}

/**
 * Renders Mermaid diagrams with @mermaid-js/mermaid-cli in one headless
 * Chromium (a launch costs more than a diagram), calling `save` with each
 * image. Loaded lazily: nothing here runs unless something is rendered.
 */
export async function renderMermaid(
  jobs: readonly MermaidJob[],
  executablePath: string,
  save: (path: string, data: Uint8Array) => void,
): Promise<void> {
  if (jobs.length === 0) return;
  const { default: puppeteer } = await import('puppeteer');
  const { renderMermaid: render } = await import('@mermaid-js/mermaid-cli');
  const browser = await puppeteer.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const job of jobs)
      for (const [format, path] of Object.entries(job.outputs) as [ImageFormat, string][]) {
        const { data } = await render(browser, job.text, format, { mermaidConfig: { ...MERMAID_CONFIG }, backgroundColor: 'white' });
        save(path, data);
      }
  } finally {
    await browser.close();
  }
}
