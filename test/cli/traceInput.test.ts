import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, STACK_FRAME } from './support/cli.js';
import { filesUnder } from './support/files.js';

/**
 * Issue 16, reads and traces: every read is of a regular file and bounded;
 * a trace's topology, scenario and events are validated as topology files
 * are (exit 2, one line naming the field); replay shows every field that
 * differs and warns when the topology file it was made from has changed.
 */

const dir = mkdtempSync(join(tmpdir(), 'connmodel-trace-in-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = join(import.meta.dirname, '../..');
const base = JSON.parse(readFileSync(join(root, 'docs/matrix/seed/one-to-one.trace.json'), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let n = 0;
/** The committed seed trace, changed by `edit`, saved under a new name. */
function traceWith(edit: (t: Record<string, any>) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const t = structuredClone(base);
  edit(t);
  const path = join(dir, `t${n++}.trace.json`);
  writeFileSync(path, JSON.stringify(t, null, 1));
  return path;
}

/** Exit 2, one line on stderr matching `pattern`, no stack, nothing printed or written. */
async function refused(argv: string[], pattern: RegExp) {
  const out = join(dir, `out${n++}`);
  const r = await cli([...argv, ...(argv[0] === 'diagrams' ? ['--out', out, '--no-render'] : [])], dir);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(STACK_FRAME);
  expect(filesUnder(out)).toEqual([]);
  return r.stderr;
}

describe('every read is of a regular file, bounded by the bytes read', () => {
  it('a topology file that is a link to /dev/zero is refused at once', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const started = Date.now();
    await refused(['check', '--topology', 'zero.yaml'], /^connmodel check: topology file 'zero\.yaml' is a character device; connmodel reads only regular files\n$/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('so is a trace that is a link to /dev/zero, for replay and for diagrams', async () => {
    symlinkSync('/dev/zero', join(dir, 'zero.trace.json'));
    await refused(['replay', 'zero.trace.json'], /^connmodel replay: trace file 'zero\.trace\.json' is a character device/);
    await refused(['diagrams', '--trace', 'zero.trace.json'], /^connmodel diagrams: trace file 'zero\.trace\.json' is a character device/);
  });

  it('an extends target that is a directory is a problem of the file that names it', async () => {
    mkdirSync(join(dir, 'base.yaml'));
    writeFileSync(join(dir, 'ext.yaml'), 'extends: base.yaml\n');
    const r = await cli(['check', '--topology', 'ext.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ext\.yaml:1:1: extends: topology file '.*base\.yaml' is a directory; connmodel reads only regular files/);
  });
});

describe("a trace's topology and scenario are validated as topology files are", () => {
  it.each([
    ['scenario.clients 1e9', (t: any) => (t.scenario.clients = 1e9), /scenario\.clients: expected a whole number from 1 to 64, found 1000000000/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['topology.instances 1000000', (t: any) => (t.topology.instances = 1_000_000), /topology\.instances: expected a whole number from 1 to 64, found 1000000/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['params: null', (t: any) => (t.topology.tiers[2].params = null), /topology\.tiers\[2\]\.params: expected a mapping of the tier's parameters, found null/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['latency [20, 1]', (t: any) => (t.topology.latency = [20, 1]), /topology\.latency: expected min <= max in the window \[min, max\], found \[20ms, 1ms\]/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a negative requestTimeout', (t: any) => (t.topology.tiers[1].params.requestTimeout = -5), /topology\.tiers\[1\]\.params\.requestTimeout: expected a duration of at least 1ms, found -5/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['requests: -1', (t: any) => (t.scenario.requests = -1), /scenario\.requests: expected a whole number from 1 to 1000, found -1/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['seed: "abc"', (t: any) => (t.seed = 'abc'), /seed: expected a whole number from -2147483648 to 2147483647, found "abc"/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['stopAtStep 1e9', (t: any) => (t.stopAtStep = 1e9), /stopAtStep: expected a whole number from 1 to 5000000, found 1000000000/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['stopAtStep past maxSteps', (t: any) => (t.stopAtStep = t.maxSteps + 1), /stopAtStep: is 401, past maxSteps 400/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a malformed event', (t: any) => (t.events[3].t = 'x'), /events\[3\]\.t: expected a whole number, at least 0, found "x"/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an event without the fields its type has', (t: any) => delete t.events.find((e: { type: string }) => e.type === 'send').req, /events\[\d+\]\.req: expected a request id \(r1\.2\), found nothing/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an event at a tier the topology has not got', (t: any) => (t.events[0].at = 'router.1'), /events\[0\]\.at: 'router\.1' is no instance of a tier of the trace's topology/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an edited composed parameter', (t: any) => (t.topology.tiers[0].params.requests = 7), /topology\.tiers\[0\]\.params\.requests: found 7, where the topology's other fields give 2/], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a field the format has not got', (t: any) => (t.extends = 'x.yaml'), /extends: unknown field; a trace has: format, version/], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('%s: replay and diagrams refuse it (exit 2, one line naming the field)', async (_, edit, pattern) => {
    const path = traceWith(edit);
    const stderr = await refused(['replay', path], pattern);
    expect(stderr).toMatch(/^connmodel replay: .*\.trace\.json: not a valid trace: .* \(nothing was run or written; the format: schema\/trace\.schema\.json\)\n$/);
    expect(stderr).not.toMatch(/undefined/);
    await refused(['diagrams', '--trace', path], pattern);
  });

  it('several problems are listed together, each with its path', async () => {
    const path = traceWith((t) => {
      t.scenario.clients = 0;
      t.topology.latency = [20, 1];
    });
    const r = await cli(['replay', path], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2 problems in the trace (nothing was run or written):');
    expect(r.stderr).toMatch(/topology\.latency: /);
    expect(r.stderr).toMatch(/scenario\.clients: /);
  });

  it('a truncated trace is not a trace (exit 2, one line)', async () => {
    const path = join(dir, 'cut.trace.json');
    writeFileSync(path, readFileSync(join(root, 'docs/matrix/seed/one-to-one.trace.json'), 'utf8').slice(0, 5000));
    await refused(['replay', path], /^connmodel replay: .*cut\.trace\.json: not a connmodel trace: invalid JSON \(/);
  });

  it('a 50 MB message is refused, not printed: the trace is over the size a trace may have', async () => {
    const path = traceWith((t) => (t.violation.message = 'x'.repeat(50_000_000)));
    await refused(['replay', path], /^connmodel replay: .*: not a connmodel trace: it is larger than 16 MiB, the most a trace may be\n$/);
  });

  it('a 1 MB message is refused too: messages are at most 20,000 characters', async () => {
    const path = traceWith((t) => (t.violation.message = 'x'.repeat(1_000_000)));
    const stderr = await refused(['replay', path], /violation\.message: expected a message of at most 20000 characters, found "x{40}…"/);
    expect(stderr.length).toBeLessThan(500);
  });
});

describe('what replay prints', () => {
  it('escapes control characters from the trace: an escape sequence is shown, not obeyed', async () => {
    const path = traceWith((t) => (t.violation.message = `${t.violation.message} \u001b[2J\u001b]0;pwned\u0007 \u202e`));
    const r = await cli(['replay', path, '--quiet'], dir);
    expect(r.code).toBe(1); // the message no longer matches what the monitor says: the violation differs
    expect(r.stdout).toContain('\\u001b[2J\\u001b]0;pwned\\u0007 \\u202e');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
  });

  it('shows every field that differs, the time included, and both events with their times', async () => {
    const path = traceWith((t) => {
      for (const e of t.events) if (e.step >= 10) e.t += 1;
    });
    const r = await cli(['replay', path, '--quiet'], dir);
    expect(r.code).toBe(1);
    const i = base.events.findIndex((e: { step: number }) => e.step >= 10);
    const e = base.events[i] as { t: number; step: number };
    expect(r.stdout).toContain(`  first difference at event ${i + 1} (of ${base.events.length} saved, ${base.events.length} replayed):`);
    expect(r.stdout).toContain(`    saved:    t=${e.t + 1}ms step ${e.step} `);
    expect(r.stdout).toContain(`    replayed: t=${e.t}ms step ${e.step} `);
    expect(r.stdout).toContain(`    fields that differ:\n      t: saved ${e.t + 1}, replayed ${e.t}\n`);
  });

  it('lists ids and details that differ, one line each', async () => {
    const path = traceWith((t) => {
      const e = t.events.find((x: { type: string }) => x.type === 'connect');
      e.conn = 'client>cdn#9';
      e.detail = 'edited';
    });
    const r = await cli(['replay', path, '--quiet'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/fields that differ:\n {6}conn: {3}saved 'client>cdn#9', replayed 'client>cdn#1'\n {6}detail: saved 'edited', replayed \(none\)\n/);
  });

  it('replays a trace written before traces recorded their topology file (no hash) as it always did', async () => {
    const r = await cli(['replay', join(root, 'docs/matrix/seed/one-to-one.trace.json'), '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^replay .*: identical — \d+ events over 25 steps reproduced exactly\n/);
  });

  it('warns when the topology file a trace was made from has changed since, or a file it extends has', async () => {
    const cwd = join(dir, 'changed');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'base.yaml'), 'extends: seed-small\nname: base\n');
    writeFileSync(join(cwd, 'my.yaml'), 'extends: base.yaml\nname: my\n');
    expect((await cli(['check', '--topology', 'my.yaml', '--property', 'one-to-one', '--runs', '20'], cwd)).code).toBe(1);
    const trace = JSON.parse(readFileSync(join(cwd, 'out/my/one-to-one.trace.json'), 'utf8')) as { topologyFile: { path: string; sha256: string } };
    expect(trace.topologyFile).toEqual({ path: 'my.yaml', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await cli(['replay', 'out/my/one-to-one.trace.json', '--quiet'], cwd)).stdout).not.toContain('warning');

    writeFileSync(join(cwd, 'base.yaml'), 'extends: seed-small\nname: base\ntiers: { connQueue: { limit: 3 } }\n');
    let r = await cli(['replay', 'out/my/one-to-one.trace.json', '--quiet'], cwd);
    expect(r.stdout).toContain("warning: topology file 'my.yaml' is unchanged, but a file it extends has changed since this trace was made; replayed on the copy saved in the trace; to replay on the file as it is now: --topology my.yaml\n");
    expect(r.code).toBe(0); // on the saved copy, it replays identically

    writeFileSync(join(cwd, 'my.yaml'), 'extends: base.yaml\nname: my\ninstances: 3\n');
    r = await cli(['replay', 'out/my/one-to-one.trace.json', '--quiet'], cwd);
    expect(r.stdout).toContain("warning: topology file 'my.yaml' has changed since this trace was made (its SHA-256 differs); replayed on the copy saved in the trace");
    expect(r.code).toBe(0);
  });
});
