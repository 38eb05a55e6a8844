import { benchColdStart } from './coldStart.js';
import { benchCorpus } from './corpus.js';
import { benchSweep } from './sweep.js';
import { benchExhaustive } from './exhaustive.js';
import { benchExploration } from './exploration.js';
import { formatRows, type BenchRow } from './report.js';
import { benchSimulation } from './simulation.js';

/** `npm run bench`: rates and whole-process times; nothing here is a pass/fail limit. */
const exploration = benchExploration();
const kernel = exploration.find((r) => r.unit === 'steps/s')?.value ?? null;
const rows: BenchRow[] = [...exploration, ...benchCorpus(), ...(await benchSweep()), ...benchColdStart(), ...(await benchSimulation(kernel)), ...benchExhaustive()];
process.stdout.write(`connmodel benchmarks (node ${process.version}, ${process.arch})\n\n${formatRows(rows)}\n`);
