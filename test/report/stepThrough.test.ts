import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { clientConnection, connectionLimiter, l7Proxy } from '../../models/machines/index.js';
import { firedTransition } from '../../src/diagrams/firedTransition.js';
import { stateChartOf } from '../../src/diagrams/stateChart.js';
import { stateDrawing } from '../../src/diagrams/stateEdges.js';
import { initialSnapshot, stepMachine } from '../../src/kernel/machineStep.js';
import { stepThrough, type InstanceView } from '../../src/report/stepThrough.js';
import { readTrace } from '../../src/trace/file.js';

const trace = readTrace(new URL('../../diagrams/one-to-one.trace.json', import.meta.url).pathname);

/** Every instance's view after step `n` (1-based), as the explorer builds it. */
function viewsAfter(stepped: ReturnType<typeof stepThrough>, n: number): Record<string, InstanceView> {
  return stepped.steps.slice(0, n).reduce((v, s) => ({ ...v, ...s.changed }), stepped.initial);
}

describe('stepThrough', () => {
  const stepped = stepThrough(trace);
  const opening = stepped.steps.find((s) => s.lines.some((l) => l.startsWith('gateway opens gateway>nlb#2')))!;

  it('re-runs the trace: one view per step, the trace’s own events described', () => {
    expect(stepped.steps).toHaveLength(trace.stopAtStep);
    expect(stepped.steps.map((s) => s.step)).toEqual(Array.from({ length: trace.stopAtStep }, (_, i) => i + 1));
    expect(stepped.instances.find((i) => i.id === 'gateway')).toEqual({ id: 'gateway', label: 'APIGW', tier: 'gateway', kind: 'l7Proxy' });
    expect(stepped.instances.find((i) => i.id === 'connQueue.1')!.label).toBe('ConnCtrl 1');
  });

  it('at the step the gateway opens its second backend connection: the transition that fired, and both connections', () => {
    expect(opening.reaction).toEqual({
      at: 'gateway',
      event: 'REQUEST',
      line: 'REQUEST [knownDownstream and mayOpenUpstream] / routeRequest(new)',
      box: 'serving',
      edge: null,
      from: 'serving',
      to: 'serving',
    });
    const gateway = viewsAfter(stepped, opening.step).gateway!;
    expect(gateway.state).toBe('serving');
    expect(gateway.connections.filter((c) => c.side === 'up')).toEqual([
      { conn: 'gateway>nlb#1', side: 'up', status: 'idle', detail: 'worker 0' },
      { conn: 'gateway>nlb#2', side: 'up', status: 'active', detail: 'r1.2, worker 1' },
    ]);
    // The line is one the state diagram draws, in the box it names.
    const drawing = stateDrawing(stateChartOf(l7Proxy));
    expect(drawing.states.find((b) => b.name === 'serving')!.internal).toContain(opening.reaction!.line);
  });

  it('lists only the instances that changed at a step', () => {
    const first = stepped.steps[0]!;
    expect(Object.keys(first.changed)).toEqual(['client.1']);
    expect(first.changed['client.1']).toEqual({ state: 'awaiting', connections: [{ conn: 'client>cdn#1', side: 'up', status: 'active', detail: 'waits for r1.1' }] });
  });
});

describe('firedTransition', () => {
  const initial = (machine: AnyStateMachine, input: unknown) => {
    const snap = initialSnapshot(machine, input);
    return { value: snap.value, context: snap.context };
  };

  it("finds a state's own line, a line of the \"in every state\" box, and none when the machine takes nothing", () => {
    const empty = initial(connectionLimiter, { params: { limit: 1 } });
    const connect = { type: 'CONNECT', conn: 'a>b#1', side: 'down', pick: 0, nextConn: 'b>c#1' } as const;
    expect(firedTransition(connectionLimiter, empty, connect)).toEqual({ box: 'admitting', edge: null, line: 'CONNECT / activateConnection' });
    const request = { type: 'REQUEST', conn: 'a>b#1', side: 'down', req: 'r1.1', method: 'GET', pick: 0, nextConn: '' } as const;
    // Not active yet: the limiter takes no transition (the kernel leaves the request unread).
    expect(firedTransition(connectionLimiter, empty, request)).toBeNull();
    const active = stepMachine(connectionLimiter, empty, connect).next;
    expect(firedTransition(connectionLimiter, active, request)).toEqual({ box: 'inEveryState', edge: null, line: 'REQUEST [activeDownstream] / proxyUp' });
  });

  it('finds an arrow between two states by its label line', () => {
    const client = initial(clientConnection, { index: 1, params: { requests: 1, timeout: null } });
    expect(firedTransition(clientConnection, client, { type: 'ACT', pick: 0, nextConn: 'client>cdn#1' })).toEqual({
      box: null,
      edge: { from: 'disconnected', to: 'awaiting' },
      line: 'ACT [mayAct]',
    });
  });
});

