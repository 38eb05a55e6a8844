import { expect, it } from 'vitest';
import type { Topology } from '../../models/topologies/topology.js';
import type { Property, Verdict } from '../../src/explore/property.js';
import { check } from '../../src/explore/check.js';

/** One expected verdict of a property on a topology, and why the model gives it. */
export type VerdictRow = [topology: Topology, verdict: Exclude<Verdict, 'undecided'>, why: string];

/**
 * One test per row: `property` checked on the row's topology (pinned `seed`)
 * gives the row's verdict. A verdict that must hold needs more schedules than
 * one that is violated (found early), hence the two run counts.
 */
export function itHasVerdicts(property: Property, rows: readonly VerdictRow[], seed: number, runs: Record<Exclude<Verdict, 'undecided'>, number>): void {
  for (const [topology, verdict, why] of rows)
    it(`${verdict === 'holds' ? 'holds' : 'is violated'} on ${topology.name}: ${why}`, () => {
      const r = check(topology, property, { runs: runs[verdict], seed });
      expect(r.verdict, `seed ${seed}`).toBe(verdict);
    });
}
