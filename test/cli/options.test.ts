import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { EXIT, EXIT_CODES_HELP } from '../../src/cli/exitCodes.js';
import { reportFailure } from '../../src/cli/failure.js';
import { Printer } from '../../src/cli/output.js';
import { MAX_LINE } from '../../src/cli/printable.js';
import { cli, STACK_FRAME } from './support/cli.js';
import { filesUnder } from './support/files.js';

/** Issue 16, options: flags twice or contradicting, empty values, lists with holes, and the wording of errors. */

const dir = mkdtempSync(join(tmpdir(), 'connmodel-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Exit 2, exactly `message` on stderr (one line), nothing printed or written. */
async function refused(argv: string[], message: string) {
  const r = await cli(argv, dir);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(`${message}\n`);
  expect(filesUnder(dir)).toEqual([]);
}

describe('options given twice, contradicting, or empty are refused (exit 2, nothing run)', () => {
  it.each([
    [['check', '--out', ''], "connmodel check: --out needs a value, found an empty string"],
    [['check', '--out='], 'connmodel check: --out needs a value, found an empty string'],
    [['check', '--out', 'x', '--no-out'], 'connmodel check: --out and --no-out exclude each other; --no-out writes nothing'],
    [['check', '--property', ''], 'connmodel check: --property needs a value, found an empty string'],
    [['check', '--property', 'one-to-one,'], "connmodel check: --property has an empty name in 'one-to-one,'; names are separated by single commas"],
    [['check', '--property', 'one-to-one,one-to-one'], "connmodel check: --property names 'one-to-one' twice"],
    [['check', '--property', 'one-to-one', '--property', 'one-to-one'], "connmodel check: --property names 'one-to-one' twice"],
    [['check', '--runs', '5', '--runs', '6'], 'connmodel check: --runs is given 2 times; give it once'],
    [['check', '--json', '--json'], 'connmodel check: --json is given 2 times; give it once'],
    [['check', '--topology', 'seed', '--topology', 'mistaken'], 'connmodel check: --topology is given 2 times; give it once'],
    [['check', '--exhaustive', '--runs', '5'], 'connmodel check: --runs and --seed choose random schedules; --exhaustive searches every schedule instead: drop one or the other'],
    [['matrix', '--exhaustive', '--seed', '5'], 'connmodel matrix: --runs and --seed choose random schedules; --exhaustive searches every schedule instead: drop one or the other'],
    [['matrix', '--topologies', 'seed,seed'], "connmodel matrix: --topologies names 'seed' twice"],
    [['diagrams', '--format', 'svg', '--no-render'], 'connmodel diagrams: --format and --no-render exclude each other; give one'],
    [['diagrams', '--property', 'one-to-one@'], "connmodel diagrams: --property takes NAME or NAME@TOPOLOGY, found 'one-to-one@'"],
    [['replay', ''], 'connmodel replay: found an empty argument; name a file'],
    [['replay', 'a.json', '--quiet', '--quiet'], 'connmodel replay: --quiet is given 2 times; give it once'],
    [['init', 'a.yaml', '--force', '--force'], 'connmodel init: --force is given 2 times; give it once'],
  ])('%j', async (argv, message) => {
    await refused(argv, message);
  });
});

describe('the wording of errors', () => {
  it('names the command once: "connmodel check: ...", never "connmodel: connmodel check: ..."', async () => {
    await refused(
      ['check', '--bogus'],
      "connmodel check: Unknown option '--bogus'; allowed options: --topology, --property, --runs, --seed, --clients, --requests, --json, --out, --no-out, --verbose, --quiet, --report, --matrix, --exhaustive, --depth, --max-states, --no-symmetry, --time, --all-facets, --min-coverage, --param",
    );
    const r = await cli(['replay'], dir);
    expect(r.stderr).toBe('connmodel replay: expected one trace file, found 0; usage: connmodel replay TRACE.json [--topology NAME|FILE] [--quiet]\n');
    expect((await cli(['nope'], dir)).stderr).toBe("connmodel: unknown command 'nope'; allowed: check, run, report, replay, matrix, simulate, sweep, diagrams, topologies, init\n");
  });

  it('states a range as it is, never up to 9007199254740991', async () => {
    await refused(['diagrams', '--trace', 'x.json', '--requests', '0'], 'connmodel diagrams: --requests must be a whole number from 1 to 1000, found 0');
    await refused(['check', '--runs', 'many'], "connmodel check: --runs must be a whole number from 1 to 10000000, found 'many'");
    await refused(['check', '--runs', '99999999999999999999'], 'connmodel check: --runs must be a whole number from 1 to 10000000, found 99999999999999999999');
  });

  it('cuts an overlong line with a note, and escapes control characters in what the user typed', async () => {
    const r = await cli(['check', '--property', `\u001b[2J${'x'.repeat(100_000)}`], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^connmodel check: unknown property '\\u001b\[2Jx+… \(\d{2},\d{3} more characters not shown\)\n$/);
    expect(r.stderr.length).toBeLessThan(MAX_LINE + 100);
  });
});

describe('exit codes', () => {
  it('are documented in --help and in the README, one for each', async () => {
    const help = await cli(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain(EXIT_CODES_HELP);
    expect((await cli(['check', '--help'], dir)).stdout).toContain(EXIT_CODES_HELP);
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const code of Object.values(EXIT)) {
      expect(EXIT_CODES_HELP).toMatch(new RegExp(`^  ${code} `, 'm'));
      expect(readme).toMatch(new RegExp(`^  \\| \`${code}\` \\| `, 'm'));
    }
  });

  it('an OS error that escaped the checked reads and writes is still exit 2 with the path and reason; anything else is exit 3 with the stack', () => {
    let err = '';
    const out = new Printer({ stdout: () => {}, stderr: (s) => (err += s), tty: false });
    const emfile = Object.assign(new Error('EMFILE: too many open files, open'), { code: 'EMFILE', syscall: 'open', path: '/x/y' });
    expect(reportFailure(emfile, out, 'check')).toBe(2);
    expect(err).toBe("connmodel check: cannot open '/x/y': too many open files (EMFILE)\n");
    err = '';
    expect(reportFailure(new InputError('bad'), out)).toBe(2);
    expect(err).toBe('connmodel: bad\n');
    err = '';
    expect(reportFailure(new TypeError('oops'), out, 'check')).toBe(3);
    expect(err).toMatch(/^connmodel check: internal error \(exit 3; please report it with the command that caused it\)\nTypeError: oops\n/);
    expect(err).toMatch(STACK_FRAME);
  });
});
