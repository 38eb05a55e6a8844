import type { Topology } from '../../models/topologies/topology.js';
import type { Applicability, Property, Verdict } from './property.js';

/**
 * How verdicts read, the same way in every report (check, run's summary, the
 * matrix, sweeps) and for exit codes. A `sometimes` property whose witness is
 * a bad thing fails when it is `reachable`; one whose witness must stay
 * possible fails when it is not.
 */

/** Whether `property` says anything about `topology` (default: it does). */
export function applicabilityOf(property: Property, topology: Topology): Applicability {
  return property.applies?.(topology) ?? { applies: true };
}

/** A finding: the verdict a CI gate fails on (exit 1). */
export function isFailure(property: Pick<Property, 'kind' | 'witnessIs'>, verdict: Verdict): boolean {
  if (verdict === 'violated') return true;
  if (property.kind !== 'sometimes') return false;
  return property.witnessIs === 'bad' ? verdict === 'reachable' : verdict === 'not found' || verdict === 'unreachable';
}

/** Whether the verdict is a healthy pipeline's; null when nothing was decided (undecided, not applicable). */
export function isHealthy(property: Pick<Property, 'kind' | 'witnessIs'>, verdict: Verdict): boolean | null {
  if (verdict === 'undecided' || verdict === 'not applicable') return null;
  return !isFailure(property, verdict);
}

/** The verdict as reports print it: `not found in 1000 runs` says how hard it was looked for. */
export function verdictText(verdict: Verdict, runs: number): string {
  return verdict === 'not found' ? `not found in ${runs.toLocaleString('en-US')} runs` : verdict;
}

/** What a run that makes a monitor report is called for this property: a counterexample, or a witness. */
export function runLabel(property: Pick<Property, 'kind'>): 'counterexample' | 'witness' {
  return property.kind === 'sometimes' ? 'witness' : 'counterexample';
}
