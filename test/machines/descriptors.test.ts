/**
 * Each machine kind's descriptor tells the truth about its machine, checked
 * against states its machine reaches in random runs of the shipped topologies:
 * - every numeric context field is declared, as an id symmetry renames or as a counter;
 * - every declared field exists;
 * - events declared to touch only their own connection commute with each other;
 * - only kinds that say they park leave a message unread.
 */
import { describe, expect, it } from 'vitest';
import { machineDescriptors, type AnyMachineDescriptor } from '../../models/machines/index.js';
import { pureReactionOf } from '../../models/machines/reaction.js';
import type { TierEvent } from '../../models/machines/vocabulary.js';
import { composeSystem, type SystemModel } from '../../models/system.js';
import { mistaken, nginxUpstreamKeepalive, requestLimit, seed, seedSmall } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { boundaryOfConnection } from '../../models/ids.js';
import { stableStringify } from '../../src/kernel/hash.js';
import { stepMachine } from '../../src/kernel/machineStep.js';
import { enabledOccurrences, eventTypeOf, parkedMessages, type Occurrence } from '../../src/kernel/occurrences.js';
import { initialState, type SystemState } from '../../src/kernel/state.js';
import { step } from '../../src/kernel/step.js';
import { connEvent, nextConnFor } from '../../src/kernel/wire.js';
import { rng } from '../exhaustive/fixtures.js';

/** Health checks that always time out (1 ms) and pull a target at the first failure: target health changes. */
const failingChecks: Topology = { ...seed, name: 'failing-checks', healthCheck: { ...seed.healthCheck!, timeout: 1, interval: 1_000, checks: 3, unhealthyThreshold: 1 } };
const TOPOLOGIES: Topology[] = [seed, seedSmall, mistaken, requestLimit, nginxUpstreamKeepalive, failingChecks];

/** States reached by random schedules (random occurrence, small random delays, random branches). */
function reachedStates(topology: Topology, runs: number, seedNo: number): { model: SystemModel; states: SystemState[] } {
  const model = composeSystem(topology, { clients: 2, requests: 4 });
  const random = rng(seedNo);
  const states: SystemState[] = [];
  for (let r = 0; r < runs; r++) {
    let s = initialState(model);
    for (let i = 0; i < 250; i++) {
      const occs = enabledOccurrences(model, s);
      if (occs.length === 0) break;
      const delay = random() < 0.1 ? Math.floor(random() * 80_000) : Math.floor(random() * 20);
      s = step(model, s, { next: Math.floor(random() * occs.length), delay, pick: Math.floor(random() * 64) }, occs)!.state;
      states.push(s);
    }
  }
  return { model, states };
}

const samples = TOPOLOGIES.map((t, i) => reachedStates(t, 12, 100 + i));

/** Numeric leaf fields of a context, as descriptor paths: `sent`, `down[].served` (parameters and branching left out). */
function numericPaths(context: Readonly<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(context)) {
    if (k === 'params' || k === 'branching') continue;
    if (typeof v === 'number') out.add(k);
    else if (Array.isArray(v))
      for (const x of v)
        if (typeof x === 'number') out.add(`${k}[]`);
        else if (x !== null && typeof x === 'object') for (const [f, y] of Object.entries(x)) if (typeof y === 'number') out.add(`${k}[].${f}`);
  }
  return out;
}

/** Every field path of a context (numeric or not), to check declarations name fields that exist. */
function fieldPaths(context: Readonly<Record<string, unknown>>): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(context)) {
    out.add(k);
    if (Array.isArray(v))
      for (const x of v)
        if (typeof x === 'number') out.add(`${k}[]`);
        else if (x !== null && typeof x === 'object') for (const f of Object.keys(x)) out.add(`${k}[].${f}`);
  }
  return out;
}

const byKind = new Map<string, { seen: Set<string>; fields: Set<string> }>();
for (const { model, states } of samples)
  for (const s of states)
    for (const spec of model.instances) {
      const entry = byKind.get(spec.descriptor.kind) ?? { seen: new Set<string>(), fields: new Set<string>() };
      byKind.set(spec.descriptor.kind, entry);
      const ctx = s.instances[spec.id]!.context;
      for (const p of numericPaths(ctx)) entry.seen.add(p);
      for (const p of fieldPaths(ctx)) entry.fields.add(p);
    }

describe.each(machineDescriptors().map((d) => [d.kind, d] as const))('the descriptor of %s', (kind, d: AnyMachineDescriptor) => {
  it('was exercised by the sample runs', () => {
    expect(byKind.has(kind)).toBe(true);
  });

  it('declares every numeric context field as an id or a counter', () => {
    const declared = new Set([...d.ids.map((f) => f.path), ...d.counters]);
    const undeclared = [...byKind.get(kind)!.seen].filter((p) => !declared.has(p));
    expect(undeclared, `numeric fields of ${kind} that are neither ids nor counters`).toEqual([]);
  });

  it('declares only fields its machine has', () => {
    const fields = byKind.get(kind)!.fields;
    const stale = [...d.ids.map((f) => f.path), ...d.counters].filter((p) => !fields.has(p));
    expect(stale).toEqual([]);
  });

  it('has only pure actions (reaction), so drivers may step it without XState', () => {
    const actions = Object.entries(d.machine.implementations.actions);
    expect(actions.length).toBeGreaterThan(0);
    for (const [name, action] of actions) expect(pureReactionOf(action), name).toBeTypeOf('function');
  });

  it('declares parameters a topology file can set, each with a schema', () => {
    for (const [name, schema] of Object.entries(d.params.fields)) expect(schema, name).toBeDefined();
    for (const r of d.params.required) expect(Object.keys(d.params.fields)).toContain(r);
  });
});

/** The connection an event touches: the one it arrived on, or the one a timer's key names; null when unknown. */
function connectionOf(o: Occurrence): string | null {
  if (o.kind === 'deliver') return o.msg.conn;
  if (o.kind === 'timer') {
    const id = o.key.slice(o.key.indexOf(':') + 1);
    return boundaryOfConnection(id) === null ? null : id;
  }
  return null;
}

function eventFor(model: SystemModel, s: SystemState, o: Occurrence): TierEvent {
  if (o.kind === 'deliver') return connEvent(model, s, o.msg, 0);
  if (o.kind === 'timer') return { type: 'TIMER', key: o.key, pick: 0, nextConn: nextConnFor(model, s, o.at) };
  return { type: 'ACT', pick: 0, nextConn: nextConnFor(model, s, o.at) };
}

describe('footprints', () => {
  it('events declared to touch only their own connection commute, at every instance where two are enabled', () => {
    let pairs = 0;
    for (const { model, states } of samples)
      for (const s of states.filter((_, i) => i % 3 === 0)) {
        const occs = enabledOccurrences(model, s);
        for (let a = 0; a < occs.length; a++)
          for (let b = a + 1; b < occs.length; b++) {
            const oa = occs[a]!;
            const ob = occs[b]!;
            if (oa.at !== ob.at) continue;
            const d = model.byId.get(oa.at)!.descriptor;
            if (d.footprint[eventTypeOf(oa)] !== 'connection' || d.footprint[eventTypeOf(ob)] !== 'connection') continue;
            const ca = connectionOf(oa);
            const cb = connectionOf(ob);
            if (ca === null || cb === null || ca === cb) continue;
            // An end already closed is answered by the kernel, not the machine.
            if ([oa, ob].some((o) => o.kind === 'deliver' && (!s.conns[o.msg.conn] || s.conns[o.msg.conn]!.done.includes(o.at)))) continue;
            const ea = eventFor(model, s, oa);
            const eb = eventFor(model, s, ob);
            const machine = d.machine;
            const start = s.instances[oa.at]!;
            const ab1 = stepMachine(machine, start, ea);
            const ab2 = stepMachine(machine, ab1.next, eb);
            const ba1 = stepMachine(machine, start, eb);
            const ba2 = stepMachine(machine, ba1.next, ea);
            expect(stableStringify(ab2.next), `${d.kind}: ${ea.type} on ${ca} and ${eb.type} on ${cb}`).toBe(stableStringify(ba2.next));
            const effects = (xs: unknown[]) => xs.map((x) => stableStringify(x)).sort();
            expect(effects([...ab1.effects, ...ab2.effects])).toEqual(effects([...ba1.effects, ...ba2.effects]));
            pairs += 1;
          }
      }
    expect(pairs).toBeGreaterThan(20);
  });
});

describe('parking', () => {
  it('only kinds whose descriptor says they park leave a message unread', () => {
    let parked = 0;
    for (const { model, states } of samples)
      for (const s of states)
        for (const p of parkedMessages(model, s)) {
          parked += 1;
          expect(model.byId.get(p.to)!.descriptor.parks, `${p.to} left a ${p.wire.kind} unread`).toBe(true);
        }
    expect(parked).toBeGreaterThan(0);
  });
});
