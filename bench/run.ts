import { benchColdStart } from './coldStart.js';
import { benchCorpus } from './corpus.js';
import { benchSweep } from './sweep.js';
import { benchExhaustive } from './exhaustive.js';
import { benchExploration } from './exploration.js';
import { formatRows, type BenchRow } from './report.js';

/** `npm run bench`: rates and whole-process times; nothing here is a pass/fail limit. */
const rows: BenchRow[] = [...benchExploration(), ...benchCorpus(), ...(await benchSweep()), ...benchColdStart(), ...benchExhaustive()];
process.stdout.write(`connmodel benchmarks (node ${process.version}, ${process.arch})\n\n${formatRows(rows)}\n`);
