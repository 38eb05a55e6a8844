/**
 * What `connmodel check` says besides the verdict: the statement in the
 * topology's own words, the bounds explored, why a property does not apply,
 * and which machine transitions the exploration exercised.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { l7Proxy } from '../../models/machines/l7Proxy.js';
import { checkExitCode, prepareCheck, runPreparedCheck } from '../../src/cli/checkCommand.js';
import { EXIT } from '../../src/cli/exitCodes.js';
import { machineGraph } from '../../src/explore/machineGraph.js';
import { checkJson } from '../../src/report/checkJson.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { checkText } from '../../src/report/checkText.js';

const run = (argv: string[]) => runPreparedCheck(prepareCheck('check', argv), {}, () => false, 'connmodel');
const check = (...argv: string[]) => run([...argv, '--no-out', '--seed', '42']);
type Json = { results: Record<string, unknown>[]; coverage: Record<string, { states: { total: number; exercised: number; missed: string[] }; transitions: { total: number; exercised: number; missed: string[] } }> };

describe('a property that does not apply', () => {
  // A service-mesh chain: no load balancer, no connection limiter, no health check.
  let report: CheckReport;
  beforeAll(async () => {
    report = await check('--topology', 'examples/sidecar-chain.yaml', '--property', 'queue-admission,flow-bound,health-blind-spot', '--runs', '5');
  });

  it('is `not applicable` with its reason, in text and JSON, and exits 0', () => {
    const json = checkJson(report) as Json;
    expect(json.results.map((r) => [r.property, r.verdict, r.reason])).toEqual([
      ['queue-admission', 'not applicable', 'no connection limiter: nothing holds connections or requests to a limit'],
      ['flow-bound', 'not applicable', 'no per-instance connection limiter (and no flowBound): nothing bounds the connections one client connection holds on an instance'],
      ['health-blind-spot', 'not applicable', 'no health check is modelled'],
    ]);
    expect(checkText(report)).toMatch(/queue-admission +not applicable\b.*\n {2}not applicable: no connection limiter/);
    expect(checkExitCode(report)).toBe(0);
  });
});

describe('statements and bounds', () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await check('--topology', 'seed-small', '--property', 'queue-admission,no-starvation', '--runs', '5', '--requests', '3');
  });

  it('name the topology’s own tiers and numbers', () => {
    const text = checkText(report);
    expect(text).toContain('connQueue never has more than 2 active connections and never reads or writes a parked one');
    expect(text).toContain('every request gateway accepts is answered within its 29s request timeout');
  });

  it('state the bounds explored, and say when they are below what the property asks for', () => {
    const json = checkJson(report) as Json;
    expect(json.results[1]).toMatchObject({ bounds: { clients: 2, requests: 3, scheduleLength: 60, tail: true, runs: 5, seed: 42 } });
    expect(json.results[1]!.boundsNote).toMatch(/^explored 2 × 3, below the 4 requests per client connection this property asks for \(filling a limit of 2 .*: a violation that needs more is out of reach$/);
    expect(checkText(report)).toMatch(
      / {2}explored 5 schedules, seed 42: up to 2 client connections × 3 requests, schedules of up to 60 choices then seeded random choices, at most \d+ steps a run\n {2}note: explored 2 × 3, below/,
    );
  });
});

describe('machine coverage', () => {
  let report: CheckReport;
  beforeAll(async () => {
    report = await check('--topology', 'seed-small', '--property', 'one-to-one', '--runs', '20');
  });

  it('counts every state and transition of each machine definition, from @xstate/graph, in --json', () => {
    const json = checkJson(report) as Json;
    // seed-small's health checks run on a machine of their own (healthChecker, issue 12).
    expect(Object.keys(json.coverage)).toEqual(['client', 'l7Proxy', 'l4LoadBalancer', 'connectionLimiter', 'server', 'healthChecker']);
    const proxy = json.coverage.l7Proxy!;
    expect(proxy.transitions.total).toBe(machineGraph(l7Proxy).transitions.length);
    expect(proxy.transitions.exercised).toBeGreaterThan(0);
    expect(proxy.transitions.missed).toContain('serving REQUEST [and(knownDownstream, pinnedUpstreamIdle)]'); // nothing is pinned on seed-small
    expect(proxy.transitions.missed).not.toContain('serving REQUEST [and(knownDownstream, mayOpenUpstream)]');
  });

  it('prints one line per machine kind, and turns a shortfall below --min-coverage into exit code 5', async () => {
    expect(checkText(report).match(/^coverage \w+: \d+\/\d+ states, \d+\/\d+ transitions/gm)).toHaveLength(6);
    const strict = await run(['--topology', 'seed-small', '--property', 'queue-admission', '--runs', '5', '--no-out', '--min-coverage', '100']);
    expect(checkExitCode(strict)).toBe(EXIT.coverageShortfall);
    expect(checkText(strict)).toMatch(/^warning: l7Proxy coverage [\d.]+% of its transitions, below --min-coverage 100%$/m);
    const lax = await run(['--topology', 'seed-small', '--property', 'queue-admission', '--runs', '5', '--no-out', '--min-coverage', '0']);
    expect(checkExitCode(lax)).toBe(0);
  });
});
