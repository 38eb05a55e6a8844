import type { Topology } from '../../models/topologies/topology.js';
import { DEFAULT_CHECK_OPTIONS } from '../../src/explore/check.js';
import type { Property } from '../../src/explore/property.js';
import type { CheckReport } from '../../src/report/checkReport.js';
import { runCheckSession } from '../../src/report/checkSession.js';

/** A check as the command line runs it (one session), as the report functions take it. */
export async function checkReportOf(
  topology: Topology,
  properties: readonly Property[],
  options: { runs: number; seed?: number; outDir?: string | null; stopped?: () => boolean },
): Promise<CheckReport> {
  const checkOptions = { ...DEFAULT_CHECK_OPTIONS, runs: options.runs, seed: options.seed ?? 42 };
  const outcome = await runCheckSession(
    { topology, properties, options: checkOptions, exhaustive: null, outDir: options.outDir ?? null },
    {},
    options.stopped,
  );
  return {
    topology,
    properties,
    results: outcome.results,
    saved: outcome.saved,
    options: checkOptions,
    exhaustive: false,
    cli: 'connmodel',
    topologyArg: topology.name,
    rerun: `check --topology ${topology.name} --runs ${options.runs} --seed ${checkOptions.seed}`,
    interrupted: outcome.interrupted,
  };
}
