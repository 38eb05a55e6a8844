/**
 * The load balancer's flow table shares an index between lists derived from
 * one another. Whatever the derivations (long chains past the index's
 * removal limit, branches from one list as exploration makes them, lists
 * with no index), a lookup answers what a search of that very list answers,
 * and no list changes after it is made.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closedFlows, flowOf, withFlow, withFlowClosed, withoutFlow, type Flow } from '../../models/machines/l4LoadBalancer/flowTable.js';

type Op = { kind: 'add'; conn: number } | { kind: 'remove'; pick: number } | { kind: 'close'; pick: number } | { kind: 'branch'; back: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('add' as const), conn: fc.nat(400) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('branch' as const), back: fc.nat() }) },
);

describe('the flow table', () => {
  it('answers every lookup as a search of the list does, across chains and branches', () => {
    let longest = 0;
    let removals = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 300, maxLength: 600 }), (ops) => {
        // Every list made so far, with a frozen copy of what it held when made.
        const made: { flows: Flow[]; held: string }[] = [{ flows: [], held: '[]' }];
        let current: Flow[] = [];
        let next = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            // Connection ids are unique within a run; a branch may reuse one another branch used.
            const conn = `c${o.conn < 200 ? next++ : o.conn}`;
            if (flowOf(current, conn) === undefined) current = withFlow(current, { conn, target: o.conn % 3 });
          } else if (o.kind === 'remove' && current.length > 0) {
            current = withoutFlow(current, current[o.pick % current.length]!.conn);
            removals++;
          } else if (o.kind === 'close' && current.length > 0) {
            current = withFlowClosed(current, current[o.pick % current.length]!.conn);
          } else if (o.kind === 'branch') {
            current = made[made.length - 1 - (o.back % Math.min(made.length, 20))]!.flows;
          }
          made.push({ flows: current, held: JSON.stringify(current) });
          longest = Math.max(longest, current.length);
          // Every flow is found as itself (ids are unique in a list), and one that is not there is not.
          for (const f of current) if (flowOf(current, f.conn) !== f) expect(flowOf(current, f.conn)).toBe(f);
          expect(flowOf(current, 'c-none')).toBeUndefined();
          expect(closedFlows(current)).toBe(current.filter((f) => f.closed).length);
        }
        // Earlier lists, after everything derived since: unchanged, and their lookups still their own.
        for (let i = 0; i < made.length; i += 1 + Math.floor(made.length / 25)) {
          const m = made[i]!;
          expect(JSON.stringify(m.flows)).toBe(m.held);
          expect(closedFlows(m.flows)).toBe(m.flows.filter((f) => f.closed).length);
          for (let k = 0; k < next; k++) {
            const want = m.flows.find((x) => x.conn === `c${k}`);
            if (flowOf(m.flows, `c${k}`) !== want) expect(flowOf(m.flows, `c${k}`)).toBe(want);
          }
        }
      }),
      { numRuns: 60, seed: 7 },
    );
    // The index was used (tables larger than a search's worth), and begun again past its removal limit.
    expect(longest).toBeGreaterThan(100);
    expect(removals / 60).toBeGreaterThan(64);
  });
});
