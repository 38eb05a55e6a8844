import { describe, expect, it } from 'vitest';
import { seedSmall } from '../../models/topologies/index.js';
import { materialize } from '../../src/explore/counterexample.js';
import { runScenario } from '../../src/explore/run.js';
import type { Scenario } from '../../src/explore/scenarios.js';
import { parseTrace, traceToJson, TRACE_FORMAT, TRACE_VERSION } from '../../src/trace/file.js';
import { replayTrace } from '../../src/trace/replay.js';

const withTail: Scenario = { clients: 2, requests: 3, schedule: [{ next: 1, delay: 0, pick: 2 }], tail: { seed: 1234, next: 2, delay: 1, pick: 4, tiers: 0xff, rotate: false } };
const run = (sc: Scenario) => runScenario(seedSmall, sc, [], { maxSteps: 400, stopAtViolation: false });

describe('a run going on after its schedule with seeded random choices', () => {
  it('is the same run every time: its choices are derived from the scenario', () => {
    expect(JSON.stringify(run(withTail).events)).toBe(JSON.stringify(run(withTail).events));
  });

  it('leaves the obvious run (else the tail would reach nothing new)', () => {
    const plain = run({ ...withTail, tail: undefined });
    expect(JSON.stringify(run(withTail).events)).not.toBe(JSON.stringify(plain.events));
  });

  it('replays byte for byte from its choices written out, without the tail', () => {
    const r = run(withTail);
    const written = materialize(withTail, r.choices, r.steps);
    expect(written.tail).toBeUndefined();
    expect(JSON.stringify(run(written).events.filter((e) => e.step <= r.steps))).toBe(JSON.stringify(r.events));
  });

  it('replays from a trace file that keeps the tail itself', () => {
    const r = run(withTail);
    const trace = parseTrace(
      traceToJson({ format: TRACE_FORMAT, version: TRACE_VERSION, topology: seedSmall, property: null, facet: null, seed: null, scenario: withTail, maxSteps: 400, stopAtStep: r.steps, violation: null, events: r.events }),
      'tail.trace.json',
    );
    expect(replayTrace(trace, seedSmall, null).identical).toBe(true);
  });
});
