/**
 * A parking machine's descriptor may say which connections a reaction made
 * readable (`unparks`), and the simulator then asks again only about those.
 * That is a shortcut, not a change of behaviour: the same run asked about
 * every parked message gives the same minutes, number for number, with
 * thousands parked and an instance restarted under them (its parked
 * connections reset whatever its slots say).
 */
import { describe, expect, it } from 'vitest';
import { connectionLimiterDescriptor } from '../../models/machines/connectionLimiter.js';
import { seed } from '../../models/topologies/index.js';
import { simulate } from '../../src/simulate/engine.js';
import type { Row } from '../../src/simulate/metrics.js';
import { smallScenario } from './fixtures.js';

async function minutes(): Promise<Row[]> {
  const rows: Row[] = [];
  await simulate({
    topology: seed,
    scenario: smallScenario({ events: [{ at: 70_000, kind: 'restart', instance: 2 }] }, 400, 100),
    duration: 100_000,
    seed: 3,
    onMinute: (row) => rows.push(row),
  });
  return rows;
}

describe("the connection limiter's unparks", () => {
  it('gives the run that asking about every parked message gives', async () => {
    const withHint = await minutes();
    const hint = connectionLimiterDescriptor.unparks;
    const descriptor = connectionLimiterDescriptor as { unparks?: typeof hint };
    delete descriptor.unparks;
    let everyTime: Row[];
    try {
      everyTime = await minutes();
    } finally {
      descriptor.unparks = hint;
    }
    // Exercised: connections were parked, and the restart reset some.
    expect(withHint.reduce((n, row) => n + (row['ConnCtrl.2.parked.max'] ?? 0), 0)).toBeGreaterThan(100);
    expect(withHint).toEqual(everyTime);
  });
});
