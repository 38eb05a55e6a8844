import { describe, expect, it } from 'vitest';
import { seed, seedSmall } from '../../models/topologies/index.js';
import { prepareCheck, runPreparedCheck } from '../../src/cli/checkCommand.js';
import { prepareSweep, runSweep } from '../../src/cli/sweepCommand.js';
import { assumptionParams, formatValue, parseParamSpec, withParam } from '../../src/sweep/params.js';
import { sweepJson, sweepText } from '../../src/sweep/report.js';

const SMALL = ['--topology', 'seed-small', '--property', 'no-starvation,flow-bound', '--param', 'gateway.upstreamIdleTimeout=5s,60s,never', '--runs', '20'];

describe('connmodel sweep', () => {
  it('gives the same answer on one core as on two worker threads (runs are deterministic per seed)', async () => {
    const one = sweepJson(await runSweep(prepareSweep([...SMALL, '--workers', '1'])));
    const two = sweepJson(await runSweep(prepareSweep([...SMALL, '--workers', '2'])));
    expect(two).toEqual(one);
  });

  it('reports ranges per property: no-starvation holds while the gateway closes idle backend connections before its 29 s timeout', async () => {
    const input = await runSweep(prepareSweep([...SMALL, '--workers', '1']));
    const json = sweepJson(input) as { results: { property: string; lines: { ranges: { verdict: string; from: string; to: string; reproduce?: string }[] }[] }[] };
    const starve = json.results.find((r) => r.property === 'no-starvation')!.lines[0]!.ranges;
    expect(starve.map((r) => [r.verdict, r.from, r.to])).toEqual([
      ['holds', '5s', '5s'],
      ['violated', '60s', 'never'],
    ]);
    expect(starve[1]!.reproduce).toBe('connmodel check --topology seed-small --param gateway.upstreamIdleTimeout=60s --property no-starvation --runs 20 --seed 42');
    expect(sweepText(input)).toMatch(/gateway\.upstreamIdleTimeout \(assumption; 'seed-small' has never\): holds for 5s; VIOLATED for 60s, never/);
  });

  it('reproduces a range’s counterexample with check --param', async () => {
    const r = await runPreparedCheck(prepareCheck('check', ['--topology', 'seed-small', '--param', 'gateway.upstreamIdleTimeout=60s', '--property', 'no-starvation', '--runs', '20', '--no-out']));
    expect(r.topology.name).toBe('seed-small[gateway.upstreamIdleTimeout=60s]');
    expect(r.results[0]!.verdict).toBe('violated');
  });

  it('sweeps exactly the parameters whose provenance is an assumption, with values for their kind', () => {
    const params = assumptionParams(seed);
    const names = params.map((p) => `${p.tier}.${p.param}`);
    expect(names).toContain('gateway.upstreamIdleTimeout');
    expect(names).toContain('database.responseTime');
    expect(names).not.toContain('connQueue.limit'); // the seed says 15
    expect(names).not.toContain('nginx.downstreamIdleTimeout'); // the seed says 75 s
    const idle = params.find((p) => p.param === 'upstreamIdleTimeout' && p.tier === 'gateway')!;
    expect(idle.values).toEqual([1_000, 5_000, 20_000, 60_000, 350_000, null]);
    expect(params.find((p) => p.tier === 'gateway' && p.param === 'upstreamPolicy')!.values).toEqual(['pinned', 'pooled', 'fleet', 'perRequest']);
    // A list of choices (the client's methods, an assumption since issue 12: the seed names none) is swept one choice at a
    // time; unset, it is the machine's default.
    const methods = params.find((p) => p.tier === 'client' && p.param === 'methods')!;
    expect(methods.values).toContainEqual(['GET']);
    expect(methods.values).toContainEqual(['POST']);
    expect(formatValue(seed, 'client', 'methods', ['POST'])).toBe('[POST]');
    expect(formatValue(seed, 'client', 'methods', null)).toBe('default');
    expect(parseParamSpec(seed, 'client.methods=[GET],[POST, GET]').values).toEqual([['GET'], ['POST', 'GET']]);
  });

  it('parses values as topology files write them, and ranges of whole numbers', () => {
    expect(parseParamSpec(seedSmall, 'connQueue.limit=2..5').values).toEqual([2, 3, 4, 5]);
    expect(parseParamSpec(seedSmall, 'gateway.requestTimeout=never,29s,5s').values).toEqual([5_000, 29_000, null]);
    expect(parseParamSpec(seedSmall, 'database.responseTime=[1ms, 20ms],[5s,30s]').values).toEqual([
      [1, 20],
      [5_000, 30_000],
    ]);
    expect(withParam(seedSmall, 'connQueue', 'limit', 7).tiers.find((t) => t.name === 'connQueue')!.params).toMatchObject({ limit: 7 });
  });

  it('refuses bad input before doing anything', () => {
    expect(() => prepareSweep([])).toThrow(/needs --param TIER\.PARAM=VALUES .* or --assumptions/);
    expect(() => prepareSweep(['--param', 'nope.limit=2'])).toThrow(/has no tier 'nope'/);
    expect(() => prepareSweep(['--param', 'connQueue.nope=2'])).toThrow(/tier 'connQueue' \(connectionLimiter\) has no parameter 'nope' to set; allowed: limit, mode/);
    expect(() => prepareSweep(['--param', 'connQueue.limit=0'])).toThrow(/connQueue\.limit=0: expected a whole number from 1/);
    expect(() => prepareSweep(['--assumptions', '--param', 'connQueue.limit=2'])).toThrow(/not both/);
    expect(() => prepareSweep(['--assumptions', '--doc', 'README.md'])).toThrow(/must hold the lines/);
  });
});
