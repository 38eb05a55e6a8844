import { assumptionsOf } from '../../models/topologies/provenance.js';
import { transitionCoverage, type MachineCoverage } from '../explore/coverage.js';
import type { ExhaustiveCheckResult } from '../explore/exhaustive/index.js';
import { checkCoverage, coverageShortfall, propertyOf, replayOf, type CheckReport } from './checkReport.js';

/** The `"coverage"` object of `--json`: per machine kind, what its definition has, what was exercised, what never was. */
export function coverageJson(coverage: readonly MachineCoverage[]): Record<string, unknown> {
  return Object.fromEntries(coverage.map((c) => [c.kind, { states: c.states, transitions: c.transitions, ratio: Math.round(transitionCoverage(c) * 1000) / 1000 }]));
}

/** The `--json` document: exactly one object, stable for the same inputs. */
export function checkJson(report: CheckReport): unknown {
  const coverage = checkCoverage(report);
  const short = coverageShortfall(coverage, report.minCoverage);
  return {
    topology: report.topology.name,
    // The parameters the verdicts rest on that no source documents (`connmodel topologies NAME` shows every source).
    assumptions: assumptionsOf(report.topology).map((a) => ({ param: `${a.tier}.${a.param}`, value: a.value, why: a.ref })),
    ...(report.interrupted ? { interrupted: true } : {}),
    results: report.results.map((r) => {
      const property = propertyOf(report, r.property);
      const out: Record<string, unknown> = {
        property: r.property,
        verdict: r.verdict,
        statement: property?.statement(report.topology) ?? r.property,
        runs: r.runs,
        seed: r.seed,
        bounds: { ...r.bounds, runs: r.runs, seed: r.seed },
      };
      if (r.reason !== undefined) out.reason = r.reason;
      if (r.boundsNote !== undefined) out.boundsNote = r.boundsNote;
      if (r.interrupted) out.partial = { ...(r.interrupted.runs !== undefined ? { runsDone: r.interrupted.runs } : {}) };
      if ('exhaustive' in r) out.exhaustive = exhaustiveJson(r as ExhaustiveCheckResult);
      const undecided = 'exhaustive' in r ? (r as ExhaustiveCheckResult).exhaustive.undecided : [];
      if (property?.facetKind === 'boundary' && r.facets.length > 0)
        out.boundaries = Object.fromEntries(r.facets.map((f) => [f.facet, undecided.includes(f.facet) ? 'undecided' : f.verdict]));
      for (const [label, cx] of [['counterexample', r.counterexample], ['witness', r.witness]] as const) {
        if (!cx) continue;
        out[label] = {
          clientConnections: cx.clientConnections,
          requests: cx.requests,
          steps: cx.steps,
          ...(cx.facet !== null ? { [property?.facetKind ?? 'facet']: cx.facet } : {}),
          message: cx.message,
          ...replayOf(report, r.property),
        };
      }
      return out;
    }),
    coverage: coverageJson(coverage),
    ...(report.minCoverage !== undefined ? { minCoverage: report.minCoverage, coverageBelowMinimum: short.map((c) => c.kind) } : {}),
  };
}

/** The `"exhaustive"` object of `--json` (explore/exhaustive/index.ts documents each field). */
function exhaustiveJson(r: ExhaustiveCheckResult): Record<string, unknown> {
  const x = r.exhaustive;
  return {
    complete: x.complete,
    depth: x.depth,
    uniqueStates: x.uniqueStates,
    statesPerSecond: x.statesPerSecond,
    totalStates: x.totalStates,
    stoppedBy: x.stoppedBy,
    symmetry: x.symmetry,
    time: x.timeAbstraction,
    clients: x.clients,
    requests: x.requests,
    seconds: Math.round(x.seconds * 1000) / 1000,
    undecided: x.undecided,
    ...(x.spurious.length > 0 ? { spurious: x.spurious } : {}),
    shortest: x.shortest,
    stages: x.stages.map((s) => ({ clients: s.clients, requests: s.requests, complete: s.complete, depth: s.depth, uniqueStates: s.uniqueStates })),
  };
}
