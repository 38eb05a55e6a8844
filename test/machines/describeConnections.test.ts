/**
 * What each machine kind says about the connections it holds (its
 * descriptor's `describeConnections`), which the HTML report shows per tier
 * and step: never a connection the kernel does not have open there, and the
 * right status where we know what it must be.
 */
import { describe, expect, it } from 'vitest';
import { countFrom } from '../../models/machines/descriptor.js';
import { builtinDescriptors, type ConnectionView } from '../../models/machines/index.js';
import { composeSystem } from '../../models/system.js';
import { mistaken, requestLimit, seed, seedSmall } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { enabledOccurrences } from '../../src/kernel/occurrences.js';
import { initialState, type SystemState } from '../../src/kernel/state.js';
import { step } from '../../src/kernel/step.js';
import { runScenario } from '../../src/explore/run.js';
import { modelFor } from '../../src/explore/run.js';
import { readTrace } from '../../src/trace/file.js';
import { rng } from '../exhaustive/fixtures.js';

const viewsAt = (state: SystemState, topology: Topology, clients: number, requests: number) => {
  const model = composeSystem(topology, { clients, requests });
  return Object.fromEntries(
    model.instances.map((spec) => [spec.id, spec.descriptor.describeConnections!(state.instances[spec.id]!.context) as ConnectionView[]]),
  );
};

const nonZero = (counts: Record<string, number | undefined>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));

describe('describeConnections', () => {
  it('every shipped machine kind describes its connections', () => {
    for (const d of builtinDescriptors) expect(typeof d.describeConnections, d.kind).toBe('function');
  });

  it('names only connections the kernel has open at that instance, each once, in random runs', () => {
    for (const topology of [seedSmall, mistaken, requestLimit]) {
      const model = composeSystem(topology, { clients: 2, requests: 3 });
      const random = rng(11);
      for (let run = 0; run < 6; run++) {
        let s = initialState(model);
        for (let i = 0; i < 150; i++) {
          const occs = enabledOccurrences(model, s);
          if (occs.length === 0) break;
          s = step(model, s, { next: Math.floor(random() * occs.length), delay: random() < 0.1 ? Math.floor(random() * 80_000) : 0, pick: Math.floor(random() * 64) }, occs)!.state;
          for (const spec of model.instances) {
            const views = spec.descriptor.describeConnections!(s.instances[spec.id]!.context);
            // Without details (a simulation's per-second counts), the same connections, sides and statuses.
            const brief = spec.descriptor.describeConnections!(s.instances[spec.id]!.context, { details: false });
            expect(brief.map(({ conn, side, status }) => ({ conn, side, status }))).toEqual(views.map(({ conn, side, status }) => ({ conn, side, status })));
            // Counted without building them, the same numbers.
            if (spec.descriptor.countConnections) expect(nonZero(spec.descriptor.countConnections(s.instances[spec.id]!.context))).toEqual(countFrom(views));
            const named = views.map((v) => v.conn);
            expect(new Set(named).size, `${topology.name} ${spec.id}: ${named.join(', ')}`).toBe(named.length);
            for (const v of views) {
              // A load balancer keeps a closed connection's flow until it idles out.
              if (v.side === 'through' && v.status === 'idle') continue;
              const c = s.conns[v.conn];
              expect(c?.path, `${topology.name} ${spec.id} describes ${v.conn}`).toContain(spec.id);
            }
          }
        }
      }
    }
  });

  it('at the seed-small no-starvation violation: both queue slots active, the third connection parked, the gateway waiting on it', () => {
    const trace = readTrace(new URL('../../diagrams/seed-small.no-starvation.trace.json', import.meta.url).pathname);
    const run = runScenario(trace.topology, trace.scenario, [], { maxSteps: trace.stopAtStep, stopAtViolation: false }, modelFor(trace.topology, trace.scenario));
    const views = viewsAt(run.final, trace.topology, trace.scenario.clients, trace.scenario.requests);
    const queue = views['connQueue.1']!;
    expect(queue.filter((v) => v.side === 'down' && v.status === 'active').map((v) => v.detail)).toEqual(['slot 1 of 2', 'slot 2 of 2']);
    expect(queue.filter((v) => v.status === 'parked')).toEqual([{ conn: 'gateway>nlb#3', side: 'down', status: 'parked', detail: 'queue position 1, never read' }]);
    expect(views.nlb!.every((v) => v.status === 'open' && v.side === 'through')).toBe(true);
    // The gateway's 504 is still on its way back: the client waits.
    expect(views['client.1']).toEqual([{ conn: 'client>cdn#1', side: 'up', status: 'active', detail: 'waits for r1.3' }]);
  });

  it('a proxy tells active from idle, upstream from downstream', () => {
    const model = composeSystem(seed, { clients: 1, requests: 2 });
    let s = initialState(model);
    // The obvious schedule until the gateway has opened its first upstream connection and forwarded r1.1.
    while (!Object.keys(s.conns).includes('gateway>nlb#1')) s = step(model, s, { next: 0, delay: 0, pick: 0 })!.state;
    const gateway = model.byId.get('gateway')!.descriptor.describeConnections!(s.instances.gateway!.context);
    expect(gateway).toEqual([
      { conn: 'cdn>gateway#1', side: 'down', status: 'active', detail: 'r1.1' },
      { conn: 'gateway>nlb#1', side: 'up', status: 'active', detail: 'r1.1, worker 0' },
    ]);
    while (s.instances['client.1']!.value !== 'connected') s = step(model, s, { next: 0, delay: 0, pick: 0 })!.state;
    const after = model.byId.get('gateway')!.descriptor.describeConnections!(s.instances.gateway!.context);
    expect(after.map((v) => v.status)).toEqual(['idle', 'idle']);
  });
});
