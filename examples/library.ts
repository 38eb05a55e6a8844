// connmodel as a library: load a topology file, check a property, draw its counterexample.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { check, counterexampleTrace, loadTopologyFile, oneToOne, traceDiagramTexts } from 'connmodel';

const out = process.argv[2] ?? '.';
const topology = loadTopologyFile('examples/seed-small.yaml');
const result = check(topology, oneToOne, { runs: 200, seed: 42 });
console.log(`${oneToOne.name} on ${topology.name}: ${result.verdict}`);

if (result.counterexample) {
  const cx = result.counterexample;
  console.log(`${cx.clientConnections} client connection, ${cx.requests} requests, broken at ${cx.facet}: ${cx.message}`);
  const trace = counterexampleTrace(topology, oneToOne, cx, { maxSteps: result.bounds.maxSteps, seed: result.seed });
  writeFileSync(join(out, 'one-to-one.mmd'), traceDiagramTexts(trace).mmd);
}
