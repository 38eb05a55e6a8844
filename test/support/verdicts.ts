import { expect, it } from 'vitest';
import type { Topology } from '../../models/topologies/topology.js';
import type { Property, Verdict } from '../../src/explore/property.js';
import { check } from '../../src/explore/check.js';

/** One expected verdict of a property on a topology, and why the model gives it. */
export type VerdictRow = [topology: Topology, verdict: Exclude<Verdict, 'undecided' | 'unreachable'>, why: string];

const found = (v: Verdict) => v === 'violated' || v === 'reachable';

/**
 * One test per row: `property` checked on the row's topology (pinned `seed`)
 * gives the row's verdict. A verdict that needs every run to find nothing
 * (holds, not found) needs more schedules than one where a run finds
 * something (violated, reachable: found early), hence the two run counts.
 */
export function itHasVerdicts(property: Property, rows: readonly VerdictRow[], seed: number, runs: { holds: number; violated: number }): void {
  for (const [topology, verdict, why] of rows)
    it(`${verdict === 'violated' ? 'is violated' : verdict === 'not found' ? 'finds no witness' : verdict} on ${topology.name}: ${why}`, () => {
      const r = check(topology, property, { runs: found(verdict) ? runs.violated : runs.holds, seed });
      expect(r.verdict, `seed ${seed}`).toBe(verdict);
    });
}
