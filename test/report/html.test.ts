import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { seedSmall } from '../../models/topologies/index.js';
import { oneToOne, queueAdmission } from '../../properties/catalogue.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { reportData } from '../../src/report/html/data.js';
import { escapeHtml, scriptJson } from '../../src/report/html/page.js';
import { chartToMermaid } from '../../src/report/html/simulation.js';
import { readMatrixDocument, reportHtml, writeHtmlReport } from '../../src/report/html/write.js';
import { checkReportOf } from './support.js';

/** The HTML report as a file: one page, nothing fetched, every part there. (test/report/browser.test.ts opens it.) */
const dir = mkdtempSync(join(tmpdir(), 'connmodel-html-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let report: CheckReport;
beforeAll(async () => {
  report = await checkReportOf(seedSmall, [oneToOne, queueAdmission], { runs: 30, outDir: join(dir, 'traces') });
});

describe('the HTML report', () => {
  it('is one self-contained page: no external script, style, image, font or frame', () => {
    const html = reportHtml({ check: report, file: join(dir, 'report.html') });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    // Three scripts, all inline (the data, Mermaid's bundle, the page's own), none cut short by what it holds.
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="connmodel-data">', '<script>', '<script>']);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html).toContain('mermaid.initialize');
    const markup = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '<script></script>');
    expect(markup).not.toMatch(/\bsrc\s*=/i);
    expect(markup).not.toMatch(/<link\b|@import|url\(|href="(https?:)?\/\//i);
  });

  it('has the summary, each property with its statement, verdict and bounds, and the explorer’s data', () => {
    const file = join(dir, 'report.html');
    const d = reportData({ check: report, file });
    expect(d.summary.map((r) => [r.property, r.verdict])).toEqual([
      ['one-to-one', 'violated'],
      ['queue-admission', 'holds'],
    ]);
    const p = d.properties[0]!;
    expect(p.statement).toBe(oneToOne.statement(seedSmall));
    expect([p.label, p.health, d.properties[1]!.label, d.properties[1]!.health]).toEqual(['VIOLATED', false, 'holds', true]);
    expect(p.bounds).toMatch(/^30 random schedules at each of 7 boundaries \(seed 42\); up to 2 client connections × 3 requests/);
    expect(p.coverage).toContain('client>cdn: holds');
    const run = p.run!;
    expect(run.trace).toBe('traces/one-to-one.trace.json');
    expect(run.replay).toBe('connmodel replay ' + join(dir, 'traces', 'one-to-one.trace.json'));
    expect(run.sequence.mmd.startsWith('sequenceDiagram')).toBe(true);
    expect(run.sequence.messages.length).toBe((run.sequence.mmd.match(/->>|-->>/g) ?? []).length);
    expect(run.stepped.steps).toHaveLength(run.violationStep);
    expect(d.properties[1]!.run).toBeNull();
    expect(d.machines.map((m) => m.kind)).toEqual(['client', 'l7Proxy', 'l4LoadBalancer', 'connectionLimiter', 'server', 'healthChecker']);
    const html = reportHtml({ check: report, file });
    expect(html).toContain(`<section class="property" id="p-one-to-one" data-property="one-to-one" data-verdict="violated">`);
    expect(html).toContain(escapeHtml(oneToOne.statement(seedSmall)));
    expect(html).toContain('<div class="explorer" data-property="one-to-one"');
  });

  it('marks an interrupted check as partial', async () => {
    const partial = await checkReportOf(seedSmall, [queueAdmission, oneToOne], { runs: 30, stopped: () => true });
    const html = reportHtml({ check: partial, file: join(dir, 'partial.html') });
    expect(html).toContain('class="partial-banner"');
    expect(reportData({ check: partial, file: join(dir, 'partial.html') }).summary.map((r) => r.verdict)).toEqual(['not run', 'not run']);
  });

  it('shows a matrix, each verdict linked to its trace relative to the page, and to its section here', () => {
    const matrixFile = join(dir, 'm.json');
    writeFileSync(
      matrixFile,
      JSON.stringify({
        command: 'connmodel matrix --runs 200 --seed 42',
        topologies: [
          { name: 'seed-small', results: { 'one-to-one': { verdict: 'violated', healthy: false, counterexample: { trace: join(dir, 'mx', 'seed-small', 'one-to-one.trace.json') } } } },
          { name: 'mistaken', results: { 'one-to-one': { verdict: 'holds', healthy: true } } },
        ],
      }),
    );
    const matrix = readMatrixDocument(matrixFile);
    const d = reportData({ check: report, file: join(dir, 'sub', 'report.html'), matrix });
    expect(d.matrix!.rows[0]!.cells[0]).toEqual({ verdict: 'violated', healthy: false, trace: '../mx/seed-small/one-to-one.trace.json', anchor: 'p-one-to-one' });
    expect(d.matrix!.rows[1]!.cells[0]).toEqual({ verdict: 'holds', healthy: true, trace: null, anchor: null });
    expect(reportHtml({ check: report, file: join(dir, 'r.html'), matrix })).toContain('<section id="matrix">');
    writeFileSync(join(dir, 'bad.json'), '{"rows": []}');
    expect(() => readMatrixDocument(join(dir, 'bad.json'))).toThrow(InputError);
    expect(() => readMatrixDocument(join(dir, 'missing.json'))).toThrow(/cannot read it as JSON \(ENOENT\)/);
  });

  it('draws simulation charts when a simulation ran (the hook for src/simulate), with Mermaid', () => {
    const simulation = {
      about: '10 clients for 60 s',
      charts: [{ title: 'connections at the queue', x: { label: 't (s)', values: [0, 10, 20] }, y: { label: 'connections' }, series: [{ name: 'instance 1', values: [1, 9, 15] }] }],
    };
    expect(chartToMermaid(simulation.charts[0]!)).toBe(
      'xychart-beta\n  title "connections at the queue"\n  x-axis "t (s)" [0, 10, 20]\n  y-axis "connections" 0 --> 15\n  line [1, 9, 15]\n',
    );
    const html = reportHtml({ check: report, file: join(dir, 'r.html'), simulation });
    expect(html).toContain('<section id="simulation">');
    expect(html).not.toContain('<section id="simulation">'.replace('simulation', 'x'));
    expect(reportHtml({ check: report, file: join(dir, 'r.html') })).not.toContain('<section id="simulation">');
  });

  it('is written atomically, and is the same bytes for the same check', () => {
    const a = writeHtmlReport({ check: report, file: join(dir, 'a', 'report.html') });
    expect(a.bytes).toBeGreaterThan(1_000_000);
    expect(reportHtml({ check: report, file: join(dir, 'a', 'report.html') })).toBe(reportHtml({ check: report, file: join(dir, 'a', 'report.html') }));
  });

  it('escapes what it embeds', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(scriptJson({ s: '</script><!--' })).toBe('{"s":"\\u003c/script>\\u003c!--"}');
  });
});
