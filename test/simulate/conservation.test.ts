/**
 * Conservation at scale, on the seed topology at 4,000 requests/s for one
 * simulated minute: every request gets exactly one outcome at its customer
 * (a response, an error, the gateway's 429, or a refusal at its client; its
 * client machine's retries come before that one outcome) or is still under
 * way when the run ends; and at every boundary the connections open equal
 * those opened minus those closed.
 */
import { describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { simulate } from '../../src/simulate/engine.js';
import { smallScenario } from './fixtures.js';

const OUTCOMES = ['responses.2xx', 'responses.429', 'responses.502', 'responses.503', 'responses.504', 'responses.lost', 'responses.other', 'rejected.client'];

describe('conservation at scale', () => {
  it('every request has exactly one outcome and open = opened - closed at every boundary (1 minute at 4,000 requests/s)', { timeout: 900_000 }, async () => {
    // The gateway throttled for part of the minute (its machine answers 429), so that 429s are among the outcomes too.
    const scenario = smallScenario(
      {
        name: 'conservation',
        clients: { count: 250, connections: 4, queue: 50, closeAfterResponse: false },
        events: [
          { at: 20_000, kind: 'throttle', tier: 'gateway', rate: 500, burst: 500, over: 0 },
          { at: 40_000, kind: 'throttle', tier: 'gateway', rate: null, burst: null, over: 0 },
        ],
      },
      4000,
    );
    const r = await simulate({ topology: seed, scenario, duration: 60_000, seed: 11 });
    const t = r.totals;
    const n = (k: string) => t[k] ?? 0;
    expect(n('arrivals')).toBeGreaterThan(230_000);
    const outcomes = OUTCOMES.reduce((s, k) => s + n(k), 0);
    expect(n('outcomes.unmatched')).toBe(0);
    expect(n('arrivals')).toBe(outcomes + r.unfinished.inFlight + r.unfinished.waiting);
    expect(n('responses.429')).toBeGreaterThan(0);
    expect(n('responses.2xx')).toBeGreaterThan(0);
    for (const [boundary, open] of Object.entries(r.openAtEnd.boundaries)) expect(open, boundary).toBe(n(`opened.${boundary}`) - n(`closed.${boundary}`));
    // The load balancer's flows are connections it passes through, so never more than are open across it.
    expect(r.openAtEnd.flows.NLB!).toBeLessThanOrEqual(r.openAtEnd.boundaries['gateway>nlb']!);
  });
});
