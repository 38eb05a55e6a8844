/**
 * A window cut from a simulation is an ordinary trace: `replay` re-executes
 * it through check's kernel from the state the window opened in, and gets
 * the same events, byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { seed } from '../../models/topologies/index.js';
import { simulate } from '../../src/simulate/engine.js';
import { clientConnections, UNBOUNDED } from '../../src/simulate/runTopology.js';
import { parseTrace, traceToJson } from '../../src/trace/file.js';
import { replayTrace } from '../../src/trace/replay.js';
import { windowTrace } from '../../src/trace/simulationWindow.js';
import { traceDiagramTexts } from '../../src/diagrams/traceDiagrams.js';
import { smallScenario } from './fixtures.js';

describe('a trace window of a simulation', () => {
  it('replays byte for byte through check’s kernel, from the state the window opened in', async () => {
    const scenario = smallScenario({ events: [{ at: 5000, kind: 'unhealthy', instance: 1, for: 4000 }] });
    const r = await simulate({ topology: seed, scenario, duration: 20_000, seed: 7, window: { from: 8000, to: 8400 } });
    expect(r.window).not.toBeNull();
    const w = r.window!;
    expect(w.events.length).toBeGreaterThan(50);
    expect(w.start.steps).toBeGreaterThan(0);
    expect(w.events.every((e) => e.t >= 8000 && e.t <= 8400)).toBe(true);
    // Written and read back as a trace file, as `connmodel replay` does.
    const text = traceToJson(windowTrace(r.model.topology, clientConnections(scenario), UNBOUNDED, 7, w));
    const trace = parseTrace(text, 'window.trace.json');
    const replay = replayTrace(trace, trace.topology, null);
    expect(replay.firstDifference).toBeUndefined();
    expect(replay.identical).toBe(true);
    expect(replay.events.map((e) => JSON.stringify(e)).join('\n')).toBe(trace.events.map((e) => JSON.stringify(e)).join('\n'));
    // ... and is drawn like any other trace.
    expect(traceDiagramTexts(trace).mmd).toContain('sequenceDiagram');
  });

  it('a changed event in the saved window makes the replay differ (the comparison can fail)', async () => {
    const scenario = smallScenario();
    const r = await simulate({ topology: seed, scenario, duration: 6000, seed: 3, window: { from: 3000, to: 3100 } });
    const trace = parseTrace(traceToJson(windowTrace(r.model.topology, clientConnections(scenario), UNBOUNDED, 3, r.window!)), 'w.json');
    trace.events[3] = { ...trace.events[3]!, t: trace.events[3]!.t + 1 };
    expect(replayTrace(trace, trace.topology, null).identical).toBe(false);
  });

  it('refuses a window that holds an event check’s kernel has no occurrence for', async () => {
    const scenario = smallScenario({ events: [{ at: 3000, kind: 'restart', instance: 1 }] });
    await expect(async () => simulate({ topology: seed, scenario, duration: 6000, seed: 1, window: { from: 2000, to: 4000 } })).rejects.toThrow(/restart at 3000ms/);
  });
});
