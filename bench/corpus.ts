import { check, type CheckResult } from '../src/explore/check.js';
import { plantedCorpus, type Planted } from '../test/corpus/planted.js';
import type { BenchRow } from './report.js';

/** The planted facet's counterexample, if the check found it. */
const foundIn = (p: Planted, r: CheckResult) => (p.facet ? r.facets.find((f) => f.facet === p.facet)?.counterexample : r.counterexample);

const median = (xs: number[]) => (xs.length === 0 ? Number.NaN : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!);

/** Detection over planted topologies: how many default checks find the violation, after how many runs, minimal or not. */
function detect(corpus: readonly Planted[], tail: boolean) {
  const after: number[] = [];
  let found = 0;
  let minimal = 0;
  const t0 = process.hrtime.bigint();
  for (const p of corpus) {
    const r = check(p.topology, p.property, { tail, ...(p.facet ? { facets: [p.facet] } : {}) });
    const cx = foundIn(p, r);
    if (!cx) continue;
    found += 1;
    after.push(r.firstFoundAt!);
    if (cx.clientConnections === p.minimum.clientConnections && cx.requests === p.minimum.requests) minimal += 1;
  }
  return { found, minimal, after, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

/**
 * The generated corpus (test/corpus): default `check` on 200 topologies with
 * a violation planted at depth; and, for comparison, 40 of them with runs
 * going on with default choices after their schedule (no tail), as before.
 */
export function benchCorpus(): BenchRow[] {
  const corpus = plantedCorpus(200);
  const withTail = detect(corpus, true);
  const without = detect(corpus.slice(0, 40), false);
  const pct = (n: number, of: number) => (100 * n) / of;
  return [
    { name: 'corpus: detection rate, default check', value: pct(withTail.found, corpus.length), unit: '%', note: `${withTail.found} of ${corpus.length} planted violations found; ${withTail.minimal} with their minimum; ${withTail.seconds.toFixed(0)} s` },
    { name: 'corpus: median runs to detection', value: median(withTail.after), unit: 'runs', note: `max ${Math.max(...withTail.after)} of the 1,000 allowed` },
    { name: 'corpus: detection rate without the tail', value: pct(without.found, 40), unit: '%', note: `${without.found} of the first 40, runs going on with default choices after their schedule (before issue 13)` },
  ];
}
