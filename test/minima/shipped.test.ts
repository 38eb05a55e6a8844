/**
 * The minimum counterexample (or witness) of every catalogue property on
 * every shipped topology where `check` finds one: fewest client connections,
 * then fewest requests. Properties with no row hold there (or find no
 * witness, or do not apply): each property's own suite asserts that.
 *
 * The table is data. When the tier machines change, regenerate its rows with
 * `npx tsx test/minima/printMinima.ts` (it runs the full check, every facet,
 * and prints each row with its verdict and steps), paste them over the table
 * and explain every row that moved.
 */
import { describe, expect, it } from 'vitest';
import { topologyNamed } from '../../models/topologies/index.js';
import { propertyNamed } from '../../properties/catalogue.js';
import { check } from '../../src/explore/check.js';
import { MINIMA_RUNS, MINIMA_SEED } from './runs.js';

type Row = [topology: string, property: string, facet: string | null, clientConnections: number, requests: number];

// prettier-ignore
const MINIMA: Row[] = [
  ['seed', 'one-to-one', 'gateway>nlb', 1, 2],
  ['seed', 'no-starvation', null, 1, 16],
  ['seed', 'health-blind-spot', null, 1, 16],
  ['seed', 'flow-bound', 'nlb>connQueue', 1, 16],
  ['seed', 'no-reset', 'connQueue>nginx', 1, 2],
  ['mistaken', 'no-reset', 'connQueue>nginx', 1, 2],
  ['seed-small', 'one-to-one', 'gateway>nlb', 1, 2],
  ['seed-small', 'no-starvation', null, 1, 3],
  ['seed-small', 'health-blind-spot', null, 1, 3],
  ['seed-small', 'flow-bound', 'nlb>connQueue', 1, 3],
  ['seed-small', 'no-reset', 'connQueue>nginx', 1, 2],
  ['queue-removed', 'one-to-one', 'gateway>nlb', 1, 2],
  ['queue-removed', 'flow-bound', 'nlb>nginx', 1, 16],
  ['queue-removed', 'no-reset', 'gateway>nlb', 1, 2],
  ['request-limit', 'one-to-one', 'gateway>nlb', 1, 2],
  ['request-limit', 'flow-bound', 'nlb>connQueue', 1, 16],
  ['request-limit', 'no-reset', 'connQueue>nginx', 1, 2],
  ['nginx-keepalive-short', 'one-to-one', 'gateway>nlb', 1, 2],
  ['nginx-keepalive-short', 'health-blind-spot', null, 1, 16],
  ['nginx-keepalive-short', 'flow-bound', 'nlb>connQueue', 1, 16],
  ['nginx-keepalive-short', 'no-reset', 'connQueue>nginx', 1, 2],
  ['nginx-keepalive-off', 'one-to-one', 'app>database', 1, 2],
  ['nginx-upstream-keepalive', 'one-to-one', 'gateway>nlb', 1, 2],
  ['nginx-upstream-keepalive', 'no-starvation', null, 1, 16],
  ['nginx-upstream-keepalive', 'health-blind-spot', null, 1, 16],
  ['nginx-upstream-keepalive', 'flow-bound', 'nlb>connQueue', 1, 16],
  ['nginx-upstream-keepalive', 'no-reset', 'connQueue>nginx', 1, 2],
  ['node-keepalive-longer', 'one-to-one', 'gateway>nlb', 1, 2],
  ['node-keepalive-longer', 'no-starvation', null, 1, 16],
  ['node-keepalive-longer', 'health-blind-spot', null, 1, 16],
  ['node-keepalive-longer', 'flow-bound', 'nlb>connQueue', 1, 16],
  ['node-keepalive-longer', 'no-reset', 'connQueue>nginx', 1, 2],
  ['health-through-queue', 'one-to-one', 'gateway>nlb', 1, 2],
  ['health-through-queue', 'no-starvation', null, 1, 16],
  ['health-through-queue', 'flow-bound', 'nlb>connQueue', 1, 16],
  ['health-through-queue', 'no-reset', 'connQueue>nginx', 1, 2],
];

describe(`the minimum of every shipped property on every shipped topology (${MINIMA_RUNS} runs, seed ${MINIMA_SEED})`, () => {
  it.each(MINIMA)('%s %s at %s: %i client connection(s), %i requests', (t, p, facet, clientConnections, requests) => {
    // Only the row's facet: the others' runs would not change its minimum, only the suite's time.
    const r = check(topologyNamed(t), propertyNamed(p), { runs: MINIMA_RUNS, seed: MINIMA_SEED, ...(facet ? { facets: [facet] } : {}) });
    const cx = r.counterexample ?? r.witness;
    expect(cx, `${p} on ${t}: ${r.verdict}`).toBeDefined();
    expect({ facet: cx!.facet, clientConnections: cx!.clientConnections, requests: cx!.requests }).toEqual({ facet, clientConnections, requests });
  });
});
