/**
 * What each property of the catalogue declares about itself is true of its
 * monitor (drivers trust the declaration and never probe):
 * - `exhaustive`: the monitor saves its state as plain data and restores it
 *   exactly, so a search can carry it with every state;
 * - `readsTime: false`: the monitor's verdict never depends on an event's
 *   time (it may quote a time in a violation's message).
 */
import { describe, expect, it } from 'vitest';
import { seed, seedSmall } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { catalogue } from '../../properties/catalogue.js';
import type { TraceEvent } from '../../src/kernel/events.js';
import { stableStringify } from '../../src/kernel/hash.js';
import { runScenario } from '../../src/explore/run.js';
import type { Property } from '../../src/explore/property.js';
import { scenarioArbitrary } from '../../src/explore/scenarios.js';
import fc from 'fast-check';

/** Traces of random runs, cut nowhere: what monitors are fed. */
function traces(topology: Topology, n: number): TraceEvent[][] {
  const scenarios = fc.sample(scenarioArbitrary({ clients: 2, requests: 4, scheduleLength: 40, maxDelay: 100_000 }), { seed: 5, numRuns: n });
  return scenarios.map((sc) => runScenario(topology, sc, [], { maxSteps: 400, stopAtViolation: false }).events);
}

const samples = [...traces(seed, 15), ...traces(seedSmall, 15)];
const topologyOf = (i: number) => (i < 15 ? seed : seedSmall);

/** The event with its time behind a getter that records reads. */
function trapped(e: TraceEvent, read: { t: boolean }): TraceEvent {
  const copy = { ...e };
  const t = e.t;
  Object.defineProperty(copy, 't', {
    get() {
      read.t = true;
      return t;
    },
    enumerable: true,
  });
  return copy;
}

describe.each(catalogue.map((p) => [p.name, p] as const))('%s declares', (_, property: Property) => {
  it(`exhaustive: ${property.capabilities.exhaustive}`, () => {
    const topology = seed;
    const m = property.monitor(topology, property.facets(topology)[0] ?? null);
    if (!property.capabilities.exhaustive) return;
    expect(typeof m.save).toBe('function');
    expect(typeof m.restore).toBe('function');
    // Saved mid-run and restored into a fresh monitor, it goes on exactly as the original.
    for (const [i, events] of samples.entries()) {
      const t = topologyOf(i);
      const facet = property.facets(t)[0] ?? null;
      const a = property.monitor(t, facet);
      const b = property.monitor(t, facet);
      const half = Math.floor(events.length / 2);
      let va = null;
      for (const e of events.slice(0, half)) va ??= a.observe(e);
      const saved = a.save!();
      expect(JSON.parse(JSON.stringify(saved))).toEqual(saved); // plain data
      b.restore!(structuredClone(saved));
      expect(stableStringify(b.save!())).toBe(stableStringify(saved));
      if (va) continue;
      for (const e of events.slice(half)) expect(stableStringify(b.observe(e))).toBe(stableStringify(a.observe(e)));
    }
  });

  it(`readsTime: ${property.capabilities.readsTime}`, () => {
    let readWithoutVerdict = false;
    for (const [i, events] of samples.entries()) {
      const t = topologyOf(i);
      for (const facet of property.facets(t).length > 0 ? property.facets(t) : [null]) {
        const m = property.monitor(t, facet);
        for (const e of events) {
          const read = { t: false };
          const v = m.observe(trapped(e, read));
          if (v === null && read.t) readWithoutVerdict = true;
          if (v) break;
        }
      }
    }
    // A monitor that says it does not read times never looks at one to decide; one that says it does, does.
    expect(readWithoutVerdict).toBe(property.capabilities.readsTime);
  });
});
