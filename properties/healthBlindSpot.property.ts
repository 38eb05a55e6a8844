import { describe, expect, it, vi } from 'vitest';
import {
  healthThroughQueue,
  mistaken,
  nginxKeepaliveOff,
  nginxKeepaliveShort,
  queueRemoved,
  requestLimit,
  seed,
  seedSmall,
} from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { checkCommand, checkExitCode, prepareCheck, runPreparedCheck } from '../src/cli/checkCommand.js';
import { checkJson } from '../src/report/checkJson.js';
import { checkText } from '../src/report/checkText.js';
import { check } from '../src/explore/check.js';
import { runScenario } from '../src/explore/run.js';
import { healthBlindSpot } from './healthBlindSpot.js';

const SEED = 42;
/** Schedules when no witness is expected: runs are deep (up to 17 requests per client). */
const UNREACHABLE_RUNS = 40;

describe('health-blind-spot on seed (the check enters NGINX on port 8080, bypassing the queue)', () => {
  const r = check(seed, healthBlindSpot, { runs: 200, seed: SEED });

  it('is reachable: a witness is found, and reaching the blind spot is the finding', () => {
    expect(healthBlindSpot.kind).toBe('sometimes');
    expect(healthBlindSpot.witnessIs).toBe('bad');
    expect(r.verdict, `seed ${SEED}`).toBe('reachable');
    expect(r.counterexample).toBeUndefined();
    expect(r.witness).toBeDefined();
  });

  it('the witness: instance 1 reports healthy while a request parked in its queue has waited longer than the check’s own timeout', () => {
    const w = r.witness!;
    expect(w.message).toMatch(/^health\.1 reports healthy \(200 for h1\.1\) while r1\.16 has waited \d+ ms unanswered on the same instance \(sent to connQueue\.1 on gateway>nlb#16/);
    expect([w.clientConnections, w.requests]).toEqual([1, 16]);
    const checked = w.events.find((e) => e.type === 'outcome' && e.at === 'health.1')!;
    expect(checked.status).toBe(200);
    const parked = w.events.find((e) => e.type === 'queue' && e.at === 'connQueue.1' && e.conn === 'gateway>nlb#16');
    expect(parked).toBeDefined();
    expect(checked.t - parked!.t).toBeGreaterThan(6_000);
  });
});

describe('health-blind-spot on seed-small', () => {
  it('has a witness with 1 client connection and 3 requests', () => {
    const r = check(seedSmall, healthBlindSpot, { runs: 200, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('reachable');
    expect([r.witness!.clientConnections, r.witness!.requests], `seed ${SEED}`).toEqual([1, 3]);
  });
});

describe('health-blind-spot where no witness exists (not found: no run reaches the blind spot)', () => {
  const expected: [Topology, string][] = [
    [mistaken, 'nothing starves with fewer client connections than the limit'],
    [queueRemoved, 'nothing parks a request'],
    [requestLimit, 'a request waits only for one in flight to finish'],
    [nginxKeepaliveOff, 'no idle connection holds a slot, so nothing waits long'],
    [healthThroughQueue, 'the check waits in the same queue, behind the starving request, and times out'],
  ];
  for (const [topology, why] of expected)
    it(`on ${topology.name}: ${why}`, () => {
      const r = check(topology, healthBlindSpot, { runs: UNREACHABLE_RUNS, seed: SEED });
      expect(r.verdict, `seed ${SEED}`).toBe('not found');
      expect(r.witness).toBeUndefined();
    });

  it('on health-through-queue the check itself is parked behind the starving traffic and fails', () => {
    const run = runScenario(healthThroughQueue, { clients: 1, requests: 16, schedule: [] }, [], { maxSteps: 2000, stopAtViolation: false });
    const parked = run.events.find((e) => e.type === 'queue' && e.at === 'connQueue.1' && e.conn?.startsWith('health>'));
    const failed = run.events.find((e) => e.type === 'timeout' && e.at === 'health.1');
    expect(parked).toBeDefined();
    expect(failed).toMatchObject({ req: 'h1.1', detail: 'health check timeout: a failed check' });
  });

  // What follows (NLB target group defaults: unhealthy after 2 failed checks, healthy again after 5 passed):
  // the starving instance is pulled from new flows, and stays out after its queue has drained.
  it('on health-through-queue, two failed checks pull the starving instance; it stays out after its checks pass again', () => {
    const t: Topology = { ...healthThroughQueue, healthCheck: { ...healthThroughQueue.healthCheck!, checks: 4 } };
    const run = runScenario(t, { clients: 1, requests: 16, schedule: [] }, [], { maxSteps: 3000, stopAtViolation: false });
    const at = (req: string) => run.events.find((e) => e.at === 'health.1' && e.req === req && (e.type === 'outcome' || e.type === 'timeout'))!;
    expect([at('h1.1').type, at('h1.2').type, at('h1.3').status, at('h1.4').status]).toEqual(['timeout', 'timeout', 200, 200]);
    const pulled = run.events.find((e) => e.type === 'health' && e.at === 'nlb')!;
    expect(pulled.detail).toBe('target 1 unhealthy (reported by health.1)');
    expect(pulled.t).toBe(at('h1.2').t);
    expect(run.events.filter((e) => e.type === 'health').length).toBe(1);
  });

  it('but not on nginx-keepalive-short: a request can still wait 10 s, longer than the check would', () => {
    const r = check(nginxKeepaliveShort, healthBlindSpot, { runs: 200, seed: SEED });
    expect(r.verdict, `seed ${SEED}`).toBe('reachable');
  });
});

describe('health-blind-spot in `connmodel check`: a CI gate reads it the right way round', () => {
  const run = async (topology: string) => {
    const report = await runPreparedCheck(prepareCheck('check', ['--topology', topology, '--property', 'health-blind-spot', '--runs', '40', '--seed', String(SEED), '--no-out']));
    return { report, exit: checkExitCode(report), json: checkJson(report) as { results: Record<string, unknown>[] } };
  };

  it('fails (exit 1) on the broken seed-small: the blind spot is reachable, with its witness (`check --json` as the command prints it)', async () => {
    let out = '';
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    let exit: number;
    try {
      exit = await checkCommand(['--topology', 'seed-small', '--property', 'health-blind-spot', '--runs', '40', '--seed', String(SEED), '--no-out', '--json']);
    } finally {
      write.mockRestore();
    }
    const json = JSON.parse(out) as { results: Record<string, unknown>[] };
    expect(exit).toBe(1);
    expect(json.results[0]).toMatchObject({ property: 'health-blind-spot', verdict: 'reachable', witness: { clientConnections: 1, requests: 3 } });
    expect(json.results[0]!.counterexample).toBeUndefined();
  });

  it('passes (exit 0) on the fixed nginx-keepalive-off: not found in its runs, which is not called unreachable', async () => {
    const { report, exit, json } = await run('nginx-keepalive-off');
    expect(exit).toBe(0);
    expect(json.results[0]).toMatchObject({ verdict: 'not found', runs: 40 });
    expect(checkText(report)).toMatch(/health-blind-spot +not found in 40 runs/);
  });
});

describe('the health-blind-spot monitor', () => {
  it('needs the check and the starving request on the same instance, and a wait longer than the check’s timeout', () => {
    const m = () => healthBlindSpot.monitor(seed, null);
    const parked = { step: 1, t: 100, type: 'send', at: 'nlb', peer: 'connQueue.1', conn: 'gateway>nlb#3', msg: 'request', req: 'r1.3', origin: 'client>cdn#1' } as const;
    const healthy = (at: string, t: number) => ({ step: 2, t, type: 'outcome', at, req: 'h1.1', status: 200 }) as const;
    const a = m();
    a.observe(parked);
    expect(a.observe(healthy('health.2', 10_000))).toBeNull();
    expect(a.observe(healthy('health.1', 6_100))).toBeNull();
    expect(a.observe(healthy('health.1', 6_101))?.message).toMatch(/health\.1 reports healthy .* r1\.3 has waited 6001 ms/);
    const b = m();
    b.observe(parked);
    b.observe({ step: 2, t: 200, type: 'send', at: 'gateway', peer: 'cdn', conn: 'cdn>gateway#1', msg: 'response', req: 'r1.3', status: 504 });
    expect(b.observe(healthy('health.1', 10_000))).toBeNull();
  });
});
