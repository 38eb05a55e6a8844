import type { AnyStateMachine } from 'xstate';
import { and, not, or, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import { builtinDescriptors } from '../../models/machines/index.js';
import { mistaken, seed } from '../../models/topologies/index.js';
import { machineDiagrams, tiersRunning } from '../../src/diagrams/machineDiagrams.js';
import { guardText, stateChartOf } from '../../src/diagrams/stateChart.js';
import { EVERY_STATE_ID, stateDrawing } from '../../src/diagrams/stateEdges.js';
import { mermaidStates } from './support/mermaidParser.js';

const machines: Record<string, AnyStateMachine> = Object.fromEntries(builtinDescriptors.map((d) => [d.kind, d.machine]));
const kinds = Object.keys(machines);
const diagrams = new Map(machineDiagrams(seed).map((d) => [d.kind, d]));

/** Every event a machine handles, and every guard it names, read straight from its state nodes. */
function definitionOf(machine: AnyStateMachine): { events: Set<string>; guards: Set<string> } {
  const events = new Set<string>();
  const guards = new Set<string>();
  const visit = (node: AnyStateMachine['root']) => {
    for (const [event, ts] of node.transitions) {
      events.add(event);
      for (const t of ts) if (t.guard) guards.add(guardText(t.guard));
    }
    for (const t of node.always ?? []) if (t.guard) guards.add(guardText(t.guard));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return { events, guards };
}

describe.each(kinds)('state diagram of %s', (kind) => {
  const machine = machines[kind] as AnyStateMachine;
  const chart = stateChartOf(machine);
  const d = diagrams.get(kind)!;

  it('draws every state of the machine, and only those (as Mermaid reads it)', async () => {
    const extra = chart.transitions.some((t) => t.source === null) ? [EVERY_STATE_ID] : [];
    expect((await mermaidStates(d.mmd)).sort()).toEqual([...Object.keys(machine.root.states), ...extra].sort());
    for (const s of chart.states) expect(d.puml).toMatch(new RegExp(`^state ${s}$`, 'm'));
  });

  it('shows every event and every guard of the definition, in both notations', () => {
    const { events, guards } = definitionOf(machine);
    expect(events.size).toBeGreaterThan(0);
    for (const text of [d.puml, d.mmd]) {
      for (const e of events) expect(text).toContain(e);
      for (const g of guards) expect(text).toContain(`[${g}`);
    }
  });

  it('starts at the initial state and names the tiers that run it', () => {
    expect(d.mmd).toContain(`[*] --> ${chart.initial}`);
    expect(d.puml).toContain(`[*] --> ${chart.initial}`);
    for (const t of tiersRunning(seed, kind)) expect(d.puml).toContain(t);
  });
});

describe('machine layouts', () => {
  it('client: disconnected, connected and awaiting, joined by the lifecycle of one keep-alive connection', () => {
    const d = stateDrawing(stateChartOf(machines.client!));
    expect(d.initial).toBe('disconnected');
    expect(d.states.map((s) => s.name)).toEqual(expect.arrayContaining(['disconnected', 'connected', 'awaiting']));
    const edge = (from: string, to: string) => d.edges.find((e) => e.from === from && e.to === to)?.lines ?? [];
    expect(edge('awaiting', 'connected')).toEqual(['RESPONSE [answersOutstanding]']);
    expect(edge('connected', 'disconnected')).toEqual(['CLOSE [isOurConnection]', 'RESET [isOurConnection]']);
    expect(edge('disconnected', 'awaiting').some((l) => l.startsWith('ACT'))).toBe(true);
  });

  it('connectionLimiter: admitting and saturated switch on eventless guards; reads happen in every state', () => {
    const d = stateDrawing(stateChartOf(machines.connectionLimiter!));
    expect(d.edges).toEqual(
      expect.arrayContaining([
        { from: 'admitting', to: 'saturated', lines: ['[isFull]'] },
        { from: 'saturated', to: 'admitting', lines: ['[hasFreeSlot]'] },
      ]),
    );
    expect(d.states.find((s) => s.name === 'saturated')!.internal).toContain('CONNECT / queueConnection');
    expect(d.everyState).toContain('REQUEST [activeDownstream] / proxyUp');
  });

  it('l7Proxy: one state; its guarded branches listed in the order XState tries them', () => {
    const d = stateDrawing(stateChartOf(machines.l7Proxy!));
    expect(d.states.map((s) => s.name)).toEqual(['serving']);
    const requests = d.states[0]!.internal.filter((l) => l.startsWith('REQUEST'));
    expect(requests.map((l) => /\/ (.*)$/.exec(l)![1])).toEqual([
      // The throttle first (API Gateway's token bucket): a request over it is answered 429 before any upstream is chosen.
      'throttleRequest',
      'routeRequest(pinned)',
      'routeRequest(idle)',
      'routeRequest(new)',
      'routeRequest(wait)',
    ]);
  });

  it('an unguarded branch after guarded ones is written as the fallback it is', () => {
    const d = stateDrawing(stateChartOf(machines.l4LoadBalancer!));
    expect(d.states[0]!.internal).toContain('REQUEST [else] / resetUnknownFlow');
  });

  it('the note names the tiers of the topology asked for', () => {
    expect(tiersRunning(seed, 'l7Proxy')).toEqual(['CloudFront (pooled)', 'APIGW (fleet)', 'NGINX (perRequest)', 'NODE (pooled)']);
    expect(machineDiagrams(mistaken).find((m) => m.kind === 'l7Proxy')!.puml).toContain('APIGW (pinned)');
  });
});

describe('guardText', () => {
  const m = setup({ guards: { a: () => true, b: () => true, c: () => true } }).createMachine({
    on: {
      X: { guard: and(['a', or(['b', 'c'])]), actions: [] },
      Y: { guard: not('a'), actions: [] },
      Z: { guard: { type: 'a', params: { prefix: 'req:' } } as never, actions: [] },
    },
  });
  const guardOf = (event: string) => guardText(m.root.transitions.get(event)![0]!.guard);

  it('keeps the grouping of nested combinators and shows parameters', () => {
    expect(guardOf('X')).toBe('a and (b or c)');
    expect(guardOf('Y')).toBe('not a');
    expect(guardOf('Z')).toBe('a(req:)');
  });
});
