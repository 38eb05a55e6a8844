import { join } from 'node:path';
import { withScratchDirectory } from '../io/scratch.js';
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

/** `work`, or a rejection once `ms` have passed (after `onTimeout`, which stops whatever hangs). */
async function within<T>(ms: number, what: string, work: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what} did not finish within ${ms / 1000} s and was stopped`));
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Renders Mermaid diagrams with @mermaid-js/mermaid-cli in one headless
 * Chromium (a launch costs more than a diagram), calling `save` with each
 * image. Chromium's profile lives in a scratch directory, removed afterwards
 * (also on Ctrl-C); a launch or a diagram that takes longer than `timeoutMs`
 * stops Chromium and fails the call. Loaded lazily: nothing here runs unless
 * something is rendered.
 */
export async function renderMermaid(
  jobs: readonly MermaidJob[],
  executablePath: string,
  save: (path: string, data: Uint8Array) => void,
  timeoutMs: number,
): Promise<void> {
  if (jobs.length === 0) return;
  const { default: puppeteer } = await import('puppeteer');
  const { renderMermaid: render } = await import('@mermaid-js/mermaid-cli');
  await withScratchDirectory('connmodel-mermaid-', async (dir, onInterrupt) => {
    const browser = await puppeteer.launch({
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      userDataDir: join(dir, 'profile'),
      timeout: timeoutMs,
      // Signals are ours to handle: the scratch directory's cleanup stops Chromium, then removes its profile.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const kill = () => browser.process()?.kill('SIGKILL');
    onInterrupt(kill);
    try {
      for (const job of jobs)
        for (const [format, path] of Object.entries(job.outputs) as [ImageFormat, string][]) {
          const rendering = render(browser, job.text, format, { mermaidConfig: { ...MERMAID_CONFIG }, backgroundColor: 'white' });
          const { data } = await within(timeoutMs, `Chromium rendering ${path}`, rendering, kill);
          save(path, data);
        }
    } finally {
      await within(timeoutMs, 'closing Chromium', browser.close(), kill).catch(kill);
    }
  });
}
