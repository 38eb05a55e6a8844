/**
 * Prints the rows of test/minima/shipped.test.ts's table: the minimum
 * counterexample (or witness) of every catalogue property on every shipped
 * topology where one is found, as `check` reports it with the table's runs
 * and seed. When the tier machines change, run it and paste its output over
 * the table, then read the diff: every moved row is a verdict or minimum that
 * moved, and the commit should say why.
 *
 *   npx tsx test/minima/printMinima.ts
 */
import { topologies } from '../../models/topologies/index.js';
import { catalogue } from '../../properties/catalogue.js';
import { check } from '../../src/explore/check.js';
import { MINIMA_RUNS, MINIMA_SEED } from './runs.js';

for (const topology of Object.values(topologies))
  for (const property of catalogue) {
    const t0 = Date.now();
    const r = check(topology, property, { runs: MINIMA_RUNS, seed: MINIMA_SEED });
    const cx = r.counterexample ?? r.witness;
    const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
    if (cx)
      process.stdout.write(
        `  ['${topology.name}', '${property.name}', ${cx.facet ? `'${cx.facet}'` : 'null'}, ${cx.clientConnections}, ${cx.requests}], // ${r.verdict}, ${cx.steps} steps; ${took}\n`,
      );
    else process.stderr.write(`  ${topology.name} ${property.name}: ${r.verdict}; ${took}\n`);
  }
