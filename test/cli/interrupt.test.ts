import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startConnmodel } from './run.js';

/**
 * Ctrl-C during `check`, after the first property finished: what was found is
 * printed and written (its trace, diagrams, and the HTML report marked
 * partial), nothing half-written is left, and the exit code is 130.
 */
const dir = mkdtempSync(join(tmpdir(), 'connmodel-sigint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Ctrl-C during connmodel check', () => {
  it('prints and writes what was found, marks the rest as partial or not run, leaves no temporary file; exit 130', { timeout: 200_000 }, async () => {
    const out = join(dir, 'out');
    const child = startConnmodel(['check', '--out', out, '--report', join(out, 'report.html')]);
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      // one-to-one's block ends with its replay hint: Ctrl-C now, while queue-admission runs.
      if (!signalled && /^  replay: .*\n\n/m.test(stdout)) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toContain('connmodel: stopping');
    // Printed: the first block whole, the interrupted one marked, the table with what was not run.
    expect(stdout).toMatch(/^one-to-one +VIOLATED /m);
    expect(stdout).toMatch(/^queue-admission +undecided \(partial: interrupted\)/m);
    expect(stdout).toMatch(/^\| no-reset +\| not run +\|/m);
    expect(stdout).toContain('Interrupted (Ctrl-C): 1 of 8 properties checked to the end');
    // Written: the trace and diagrams of what was found, and the report, marked partial.
    expect(readdirSync(out)).toContain('report.html');
    // Traces go to a directory of the topology's own.
    const files = readdirSync(join(out, 'seed'));
    for (const f of ['one-to-one.trace.json', 'one-to-one.mmd', 'one-to-one.puml']) expect(files).toContain(f);
    for (const f of [...files, ...readdirSync(out)]) expect(f).not.toContain('.tmp-');
    expect(existsSync(join(out, 'seed', 'no-starvation.trace.json'))).toBe(false);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('class="partial-banner"');
    expect(html).toContain('data-property="one-to-one" data-verdict="violated"');
  });
});
