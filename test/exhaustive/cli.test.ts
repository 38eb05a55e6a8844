import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { checkCommand } from '../../src/cli/checkCommand.js';
import { reportFailure } from '../../src/cli/failure.js';

/** `connmodel check --exhaustive` as a user meets it: the JSON document, and bad options. */

let out: string;
beforeEach(() => {
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => vi.restoreAllMocks());

describe('connmodel check --exhaustive', () => {
  it('a search cut by its budget is undecided, with its stages, and exits 0 (nothing found, nothing proved)', async () => {
    const code = await checkCommand(['--exhaustive', '--topology', 'mistaken', '--property', 'one-to-one', '--max-states', '300', '--json', '--no-out']);
    expect(code).toBe(0);
    const doc = JSON.parse(out) as { results: { verdict: string; exhaustive: Record<string, unknown> }[] };
    const r = doc.results[0]!;
    expect(r.verdict).toBe('undecided');
    expect(r.exhaustive).toMatchObject({ complete: false, stoppedBy: 'max-states', time: 'activity', shortest: true, clients: 1, requests: 1 });
    expect(r.exhaustive.stages).toEqual([{ clients: 1, requests: 1, complete: false, depth: expect.any(Number), uniqueStates: 300 }]);
  });

  it('--all-facets searches on after the first violation until every tier boundary is decided or the budget runs out', async () => {
    const code = await checkCommand(['--exhaustive', '--topology', 'seed', '--property', 'one-to-one', '--clients', '1', '--requests', '2', '--all-facets', '--max-states', '40000', '--json', '--no-out']);
    expect(code).toBe(1);
    const r = (JSON.parse(out) as { results: { boundaries: Record<string, string>; exhaustive: { undecided: string[] } }[] }).results[0]!;
    // From the gateway's fan-out on, the boundaries break (app>database: the two requests reach two instances'
    // pools); where one client connection's connections only replace each other (CloudFront's pool, NGINX's
    // connection per request) nothing breaks, which only a complete search could prove.
    expect(r.boundaries).toEqual({
      'client>cdn': 'undecided',
      'cdn>gateway': 'undecided',
      'gateway>nlb': 'violated',
      'nlb>connQueue': 'violated',
      'connQueue>nginx': 'violated',
      'nginx>app': 'undecided',
      'app>database': 'violated',
    });
    expect(r.exhaustive.undecided).toEqual(['client>cdn', 'cdn>gateway', 'nginx>app']);
  });

  it('refuses an unknown time abstraction, naming the ones it has, before any work', () => {
    expect(() => checkCommand(['--exhaustive', '--time', 'nope'])).toThrow(InputError);
    expect(() => checkCommand(['--exhaustive', '--time', 'nope'])).toThrow("--time must be one of activity, exact, hull, found 'nope'");
    expect(out).toBe('');
    expect(() => checkCommand(['--all-facets'])).toThrow(/apply to --exhaustive only/);
  });
});

describe('failures of a command', () => {
  it('exit 2 with one line for bad input, 3 with the stack for anything else (never 1, which means violated)', () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    expect(reportFailure(new InputError('--max-states must be a whole number'))).toBe(2);
    expect(err).toBe('connmodel: --max-states must be a whole number\n');
    err = '';
    expect(reportFailure(new Error('exhaustive: something impossible'))).toBe(3);
    expect(err).toMatch(/^connmodel: internal error \(exit 3; please report it with the command that caused it\)\nError: exhaustive: something impossible\n\s+at /);
  });
});
