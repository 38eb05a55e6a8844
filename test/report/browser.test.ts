import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { oneToOne } from '../../properties/catalogue.js';
import { CHROMIUM_ARGS, findChromium } from '../../src/diagrams/tools.js';
import { writeHtmlReport } from '../../src/report/html/write.js';
import { checkReportOf } from './support.js';

/**
 * The HTML report in a real browser (the system Chromium, no network): open
 * it, step through the one-to-one counterexample, and check what a user sees
 * at the step where API Gateway opens its second backend connection.
 * Skipped on a machine without Chromium, except in CI (CI=true), which
 * installs it (.ci/run: apt-get install chromium).
 */
// What the page functions below use of the page (they run in Chromium; the project compiles without DOM types).
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
};

const chromium = findChromium();
const skip = chromium === null && process.env.CI !== 'true';
const dir = mkdtempSync(join(tmpdir(), 'connmodel-browser-'));
let browser: Browser | null = null;

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('the report in Chromium', () => {
  let file = '';
  beforeAll(async () => {
    if (chromium === null) throw new Error('no Chromium: CI must install it (apt-get install -y chromium)');
    const report = await checkReportOf(seed, [oneToOne], { runs: 200, outDir: join(dir, 'out') });
    file = writeHtmlReport({ check: report, file: join(dir, 'out', 'report.html') }).path;
    const { default: puppeteer } = await import('puppeteer');
    browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: CHROMIUM_ARGS });
  });

  it('steps to the second gateway>nlb connection: the gateway’s state and connections, the arrow lit, the transition lit, no errors', async () => {
    const started = performance.now();
    const page = await browser!.newPage();
    const errors: string[] = [];
    const fetched: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) fetched.push(r.url());
    });
    await page.setViewport({ width: 1600, height: 1000 });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => document.body.dataset.ready)).toBe('true');

    const explorer = '.explorer[data-property="one-to-one"]';
    const shown = () => page.$eval(explorer, (e) => [e.getAttribute('data-shown'), e.querySelector('.event')!.textContent ?? ''] as const);
    expect((await shown())[0]).toBe('1');
    // Forward, one step at a time, as a user clicks, until the gateway opens gateway>nlb#2.
    let [step, text] = await shown();
    for (let clicks = 0; !text.includes('gateway opens gateway>nlb#2') && clicks < 100; clicks++) {
      const before = step;
      await page.click(`${explorer} button[data-go="forward"]`);
      await page.waitForFunction((s, b) => document.querySelector(s)!.getAttribute('data-shown') !== b, {}, explorer, before);
      [step, text] = await shown();
    }
    expect(text).toContain('gateway opens gateway>nlb#2 to nlb for r1.2');

    const seen = await page.$eval(explorer, (e) => {
      const gateway = e.querySelector('tr[data-instance="gateway"]')!;
      return {
        state: gateway.querySelector('.state')!.textContent,
        reacting: gateway.classList.contains('reacting'),
        connections: [...gateway.querySelectorAll('.conn')].map((c) => `${c.getAttribute('data-conn')} ${c.getAttribute('data-status')}`),
        arrows: [...e.querySelectorAll('.sequence text.messageText.hl')].map((t) => t.textContent),
        lines: e.querySelectorAll('.sequence .messageLine0.hl, .sequence .messageLine1.hl').length,
        transition: [...e.querySelectorAll('.machine .hl-line')].map((t) => t.textContent),
        stateBox: [...e.querySelectorAll('.machine g.hl-state')].map((g) => g.id.replace(/^.*-state-/, '')),
      };
    });
    expect(seen.state).toBe('serving');
    expect(seen.reacting).toBe(true);
    expect(seen.connections).toEqual(['cdn>gateway#1 active', 'gateway>nlb#1 idle', 'gateway>nlb#2 active']);
    expect(seen.arrows).toEqual(['2 TCP conn. (gateway>nlb#2) (new)']);
    expect(seen.lines).toBe(1);
    expect(seen.transition).toEqual(['REQUEST [knownDownstream and mayOpenUpstream] / routeRequest(new)']);
    expect(seen.stateBox).toEqual([expect.stringMatching(/^serving-\d+$/)]);

    // One step back: the second connection is not open yet.
    await page.click(`${explorer} button[data-go="back"]`);
    await page.waitForFunction((s, b) => document.querySelector(s)!.getAttribute('data-shown') !== b, {}, explorer, step);
    const back = await page.$$eval(`${explorer} tr[data-instance="gateway"] .conn`, (cs) => cs.map((c) => c.getAttribute('data-conn')));
    expect(back).not.toContain('gateway>nlb#2');

    expect(errors).toEqual([]);
    expect(fetched).toEqual([]);
    await page.close();
    console.log(`browser test: report opened and stepped in ${Math.round(performance.now() - started)} ms`);
  });
});
