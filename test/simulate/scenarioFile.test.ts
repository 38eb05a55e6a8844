/**
 * Scenario files are read like topology files: every problem at once, each
 * with file:line:col and the path in the document, one InputError (exit 2),
 * nothing run; the shipped scenarios and the starter load.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../models/inputError.js';
import { scenarios, steady } from '../../models/scenarios/shipped.js';
import { seed } from '../../models/topologies/index.js';
import { reportFailure } from '../../src/cli/failure.js';
import { initCommand } from '../../src/cli/initCommand.js';
import { parseSpan, prepareSimulate } from '../../src/cli/simulateCommand.js';
import { parseScenarioText, resolveScenario } from '../../src/topologyFile/scenarioFile.js';
import { scenarioStarterYaml } from '../../src/topologyFile/scenarioStarter.js';

const BAD = `name: bad
duration: 10 minutes
clients:
  count: 0
  conections: 4
arrivals:
  rate: 4000
  daily: { trough: 1, peak: 2 }
delays:
  network: { lognormal: { median: 20ms, p99: 5ms } }
events:
  - { at: 3m, restart: 7 }
  - { at: 4m, reload: { tier: ngnix, instance: 1 } }
  - { at: 5m }
topology:
  database: { responseTime: [20ms, 1ms] }
  cache: { size: 3 }
`;

describe('scenario files', () => {
  it('report every problem at once, each at its file:line:col, as one input error', () => {
    let err: unknown;
    try {
      parseScenarioText(BAD, 'bad.yaml', seed);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^bad\.yaml: \d+ problems in the scenario file \(nothing was run or written\):/);
    for (const expected of [
      /bad\.yaml:2:\d+: duration: expected a duration/,
      /bad\.yaml:4:\d+: clients\.count: expected a whole number from 1/,
      /bad\.yaml:5:\d+: clients\.conections: unknown field; did you mean 'connections'\?/,
      /bad\.yaml:6:\d+: arrivals: expected exactly one of rate/,
      /bad\.yaml:10:\d+: delays\.network\.lognormal\.p99: must be at least the median/,
      /bad\.yaml:12:\d+: events\[0\]\.restart: instance 7: topology 'seed' has 2 instances/,
      /bad\.yaml:13:\d+: events\[1\]\.reload\.tier: no tier 'ngnix'/,
      /bad\.yaml:14:\d+: events\[2\]: missing at|bad\.yaml:14:\d+: events\[2\]: expected exactly one of/,
      /bad\.yaml:16:\d+: topology\.database\.responseTime: expected min <= max/,
      /bad\.yaml:17:\d+: topology\.cache: no tier 'cache' in topology 'seed'/,
    ])
      expect(msg).toMatch(expected);
    expect(msg).toContain('docs/simulation.md');
    expect(reportFailure(err)).toBe(2);
  });

  it('refuse request mixes the client machine cannot cycle through, unknown methods, and throttles of tiers that do not throttle', () => {
    const text = `requests:
  mix: [{ method: GET, weight: 33 }, { method: FETCH, weight: 67, retry: true }]
throttle: { tier: nlb, rate: 100 }
events:
  - { at: 1m, throttle: { tier: nginx, rate: 5 } }
  - { at: 2m, throttle: { tier: database, rate: 5 } }
`;
    let msg = '';
    try {
      parseScenarioText(text, 'mix.yaml', seed);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/mix\.yaml:2:\d+: requests\.mix\[1\]\.method: expected an HTTP method: GET, HEAD, POST/);
    expect(msg).toMatch(/mix\.yaml:2:\d+: requests\.mix\[1\]\.retry: unknown field/);
    expect(msg).toMatch(/mix\.yaml:3:\d+: throttle: tier 'nlb' of topology 'seed' has no throttle; tiers that throttle: cdn, gateway, nginx, app/);
    expect(msg).toMatch(/mix\.yaml:6:\d+: events\[1\]\.throttle: tier 'database' of topology 'seed' has no throttle/);
    expect(msg).not.toMatch(/events\[0\]/);
    expect(() => parseScenarioText('requests:\n  mix: [{ method: GET, weight: 33 }, { method: POST, weight: 67 }]\n', 'w.yaml', seed)).toThrow(
      /requests\.mix: weights 33:67 do not reduce to at most 16 requests/,
    );
    const ok = parseScenarioText('requests:\n  mix: [{ method: GET, weight: 60 }, { method: PUT, weight: 40 }]\n  retries: { max: 1, backoff: 1s }\n', 'ok.yaml', seed);
    expect(ok.requests).toEqual({ mix: [{ method: 'GET', weight: 60 }, { method: 'PUT', weight: 40 }], retries: { max: 1, backoff: 1000 } });
  });

  it('load every shipped scenario, and the commented starter (which is steady, explained)', () => {
    for (const s of Object.values(scenarios)) expect(resolveScenario(s.name, seed)).toBe(s);
    const starter = parseScenarioText(scenarioStarterYaml('mine'), 'mine.yaml', seed);
    const { name: _a, description: _b, about: _c, ...rest } = starter;
    const { name: _d, description: _e, about: _f, ...steadyRest } = steady;
    expect(rest).toEqual(steadyRest);
  });

  it('are refused by simulate before anything runs, and unknown names say what is allowed', () => {
    expect(() => prepareSimulate(['--scenario', 'stedy'])).toThrow(/unknown scenario 'stedy'; expected a shipped scenario \(steady, db-slowdown/);
    expect(() => prepareSimulate(['--scenario', 'steady', '--trace-window', '4m..5m', '--duration', '3m'])).toThrow(/ends at 300s, after the run's 180s/);
    expect(() => prepareSimulate(['--scenario', 'instance-restart', '--trace-window', '2m59s..3m1s'])).toThrow(/restart at 180000ms/);
    expect(parseSpan('d', '12m30s')).toBe(750_000);
    expect(() => parseSpan('d', '12 minutes')).toThrow(InputError);
  });
});

describe('connmodel init --scenario', () => {
  let dir: string;
  let cwd: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'connmodel-scn-'));
    cwd = process.cwd();
    process.chdir(dir);
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    process.chdir(cwd);
    vi.restoreAllMocks();
  });

  it('writes a commented starter that simulate accepts', () => {
    expect(initCommand(['--scenario', 'load.yaml'])).toBe(0);
    expect(readFileSync('load.yaml', 'utf8')).toContain('# A connmodel simulation scenario');
    expect(prepareSimulate(['--scenario', 'load.yaml', '--duration', '1m']).jobs[0]!.scenario.name).toBe('load');
    expect(() => initCommand(['--scenario', 'load.yaml'])).toThrow(/already exists/);
  });
});
