import { describe, expect, it } from 'vitest';
import { catalogue } from '../../properties/catalogue.js';
import { connmodel, plainEnv, startConnmodel } from './run.js';

/** `connmodel check` as people read it: a screenful, streamed, coloured only on a terminal. */

const ESC = '\x1b[';

describe('connmodel check on the seed, by default', () => {
  // The whole catalogue at 1000 schedules: about 40 s of one core, more on a busy machine.
  it('prints at most 150 lines, one block per property as it finishes, then a summary table', { timeout: 400_000 }, async () => {
    const child = startConnmodel(['check', '--no-out']);
    const chunks: string[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => chunks.push(s));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const out = chunks.join('');
    const lines = out.trimEnd().split('\n');
    expect(code).toBe(1);
    expect(lines.length).toBeLessThanOrEqual(150);
    // Every property, in catalogue order, each with its verdict on the block's first line.
    const heads = lines.filter((l) => /^[a-z-]+ +(VIOLATED|REACHABLE|holds|not found in [\d,]+ runs|not applicable) /.test(l)).map((l) => l.split(' ')[0]);
    expect(heads).toEqual(catalogue.map((p) => p.name));
    // Key steps of every counterexample: elided, each with its replay hint.
    expect(out.match(/^    … \d+ steps …$/gm)!.length).toBeGreaterThanOrEqual(5);
    expect(out.match(/^  replay: /gm)).toHaveLength(5);
    expect(out).toMatch(/^\| property +\| verdict +\| runs \| bounds \| counterexample \(or witness\) +\|$/m);
    // One line per machine kind on the coverage of the whole exploration.
    expect(out.match(/^coverage \w+: \d+\/\d+ states, \d+\/\d+ transitions/gm)).toHaveLength(6);
    // Findings: four properties violated, and health-blind-spot's bad state reachable.
    expect(lines.at(-1)).toBe("5 of 8 properties failed on 'seed' (violated, or a bad state reachable).");
    // Streamed: the first block came in a write of its own, long before the table.
    const first = chunks.findIndex((c) => c.includes('replay: '));
    const table = chunks.findIndex((c) => c.includes('| property'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(table).toBeGreaterThan(first);
    // Piped: no colour.
    expect(out).not.toContain(ESC);
  });
});

describe('connmodel check options', () => {
  it('--verbose prints every step of the trace', () => {
    const r = connmodel(['check', '--property', 'one-to-one', '--runs', '50', '--no-out', '--verbose']);
    const steps = r.stdout.match(/^    t=\d+ms +step \d+ /gm)!;
    expect(steps.length).toBe(25); // the minimised counterexample: the shortest run there is
    expect(r.stdout).not.toMatch(/… \d+ steps …/);
  });

  it('--quiet prints verdicts only', () => {
    const r = connmodel(['check', '--property', 'one-to-one,queue-admission', '--runs', '20', '--no-out', '--quiet']);
    expect(r.stdout).toBe('one-to-one       VIOLATED\nqueue-admission  holds\n');
    expect(r.status).toBe(1);
  });

  it('colour when asked (FORCE_COLOR, as on a terminal), none with NO_COLOR; the words are the same', () => {
    const args = ['check', '--property', 'queue-admission', '--runs', '5', '--no-out'];
    const coloured = connmodel(args, { env: plainEnv({ FORCE_COLOR: '1' }) }).stdout;
    const plain = connmodel(args, { env: plainEnv({ FORCE_COLOR: '1', NO_COLOR: '1' }) }).stdout;
    expect(coloured).toContain(ESC);
    expect(plain).not.toContain(ESC);
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('wraps to the width it is given', () => {
    const r = connmodel(['check', '--property', 'one-to-one', '--runs', '20', '--no-out'], { env: plainEnv({ COLUMNS: '80' }) });
    for (const line of r.stdout.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('--version', () => {
    expect(connmodel(['--version']).stdout).toMatch(/^connmodel \d+\.\d+\.\d+\n$/);
  });
});
