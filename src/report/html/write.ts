import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { writeTextAtomic } from '../../io/atomicWrite.js';
import { reportData, type HtmlReportInput } from './data.js';
import { reportPage } from './page.js';

export { readMatrixDocument } from './matrix.js';

let bundle: string | null = null;

/** Mermaid's browser bundle (the `mermaid` package, a dependency): drawn into the page, so it opens offline. */
export function mermaidBundle(): string {
  bundle ??= readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8');
  return bundle;
}

/** The report as HTML. */
export function reportHtml(input: HtmlReportInput): string {
  return reportPage(reportData(input), mermaidBundle());
}

/** Writes the report (atomically: a stopped run never leaves half a page) and says where and how big. */
export function writeHtmlReport(input: HtmlReportInput): { path: string; bytes: number } {
  const html = reportHtml(input);
  writeTextAtomic(input.file, html);
  return { path: input.file, bytes: Buffer.byteLength(html) };
}
