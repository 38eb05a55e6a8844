/**
 * Test helpers for the kernel: small topologies, stepping by predicate, and
 * deterministic pseudo-random schedules. Not a test file itself.
 */
import fc from 'fast-check';
import { composeSystem, type SystemModel } from '../../models/system.js';
import { client, connQueue, database, gateway, nlb, withParams } from '../../models/tiers/index.js';
import type { ServerParams } from '../../models/machines/server.js';
import type { Topology } from '../../models/topologies/topology.js';
import { enabledOccurrences, type Occurrence } from '../../src/kernel/occurrences.js';
import { initialState, type SystemState } from '../../src/kernel/state.js';
import { step, type Choice, type StepResult } from '../../src/kernel/step.js';
import { scenarioArbitrary, type Scenario } from '../../src/explore/scenarios.js';

/** client -> database: the smallest pipeline. */
export function direct(db: Partial<ServerParams> = {}, latency: readonly [number, number] = [1, 20]): Topology {
  return {
    name: 'direct',
    description: 'a client talking straight to a database',
    tiers: [client, withParams(database, db)],
    instances: 1,
    instanceParticipant: 'EC2',
    latency,
    bounds: { clients: 1, requests: 2 },
  };
}

/** client -> gateway (pinned) -> nlb -> connQueue (limit) -> database: a queue in front of a server. */
export function queued(limit: number): Topology {
  return {
    name: 'queued',
    description: 'pinned connections into a one-instance connection queue',
    tiers: [
      client,
      withParams(gateway, { upstreamPolicy: 'pinned', workers: 1, requestTimeout: null }),
      nlb,
      withParams(connQueue, { limit }),
      database,
    ],
    instances: 1,
    instanceParticipant: 'EC2',
    latency: [1, 20],
    bounds: { clients: 2, requests: 1 },
  };
}

export function model(topology: Topology, clients = 1, requests = 2): SystemModel {
  return composeSystem(topology, { clients, requests });
}

/** A client straight to a database (idle timeout `idleTimeout`), right after its first request was answered. */
export function firstRequestAnswered(idleTimeout: number): Run {
  const m = model(direct({ idleTimeout }), 1, 2);
  const r = new Run(m, initialState(m));
  r.take(isAct());
  r.take(isDeliver('syn'));
  r.take(isDeliver('request', 'database'));
  r.take(isDeliver('response', 'client.1'));
  return r;
}

/** A stepper over one model: take the enabled occurrence that matches a predicate. */
export class Run {
  state: SystemState;
  last: StepResult | null = null;
  constructor(
    readonly model: SystemModel,
    initial: SystemState,
  ) {
    this.state = initial;
  }
  enabled(): Occurrence[] {
    return enabledOccurrences(this.model, this.state);
  }
  /** Takes the first enabled occurrence matching `pred`, `delay` ms after its earliest time. */
  take(pred: (o: Occurrence) => boolean, delay = 0, pick = 0): StepResult {
    const enabled = this.enabled();
    const next = enabled.findIndex(pred);
    if (next < 0) throw new Error(`no enabled occurrence matches; enabled: ${JSON.stringify(enabled.map(describe))}`);
    const r = step(this.model, this.state, { next, delay, pick }, enabled)!;
    this.state = r.state;
    this.last = r;
    return r;
  }
}

export function describe(o: Occurrence): string {
  return o.kind === 'deliver' ? `deliver ${o.msg.wire.kind} ${o.msg.conn} ${o.msg.from}->${o.msg.to}` : `${o.kind} ${o.at}${o.kind === 'timer' ? ` ${o.key}` : ''}`;
}

export const isAct = (at?: string) => (o: Occurrence) => o.kind === 'act' && (at === undefined || o.at === at);
export const isTimer = (key?: string) => (o: Occurrence) => o.kind === 'timer' && (key === undefined || o.key === key);
export const isDeliver = (kind: string, to?: string) => (o: Occurrence) =>
  o.kind === 'deliver' && o.msg.wire.kind === kind && (to === undefined || o.msg.to === to);

/** Scenarios drawn from the explorer's own arbitrary with a fixed seed: the same list every run. */
export function sampleScenarios(n: number, seed: number, clients = 2, requests = 3, maxDelay = 400_000): Scenario[] {
  return fc.sample(scenarioArbitrary({ clients, requests, scheduleLength: 60, maxDelay }), { numRuns: n, seed });
}

/** A tiny deterministic PRNG (mulberry32) for schedules built step by step. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random choice: mostly no delay, sometimes a long one (to let timers race). */
export function randomChoice(rand: () => number): Choice {
  const r = rand();
  const delay = r < 0.6 ? 0 : r < 0.9 ? Math.floor(rand() * 100) : Math.floor(rand() * 400_000);
  return { next: Math.floor(rand() * 16), delay, pick: Math.floor(rand() * 64) };
}
