/**
 * Directed schedules for health-blind-spot: the health checkers start at
 * once, and the client starts its requests a little later, so that a
 * request parked behind the instance's queue has been waiting longer than
 * the check's timeout when the first check comes (one interval after the
 * checkers start), yet less than any deadline that would answer it.
 * Random schedules rarely wait that long before the client's first request.
 * They are ordinary scenarios: the property still judges the runs.
 */
import { composeSystem } from '../models/system.js';
import type { Topology } from '../models/topologies/topology.js';
import type { Scenario } from '../src/explore/scenarios.js';
import { enabledOccurrences } from '../src/kernel/occurrences.js';
import { initialState } from '../src/kernel/state.js';
import { step, withoutDefaultTail, type Choice } from '../src/kernel/step.js';
import { queueFillingBounds } from './traffic.js';

const MAX_STEPS = 1000;

/** How far before the first check the client starts, as fractions of the interval between checks. */
const LEADS = [0.5, 0.75, 0.25];

export function blindSpotScenarios(topology: Topology): Scenario[] {
  const hc = topology.healthCheck;
  if (!hc) return [];
  const requests = queueFillingBounds(topology).requests ?? topology.bounds.requests;
  const model = composeSystem(topology, { clients: 1, requests });
  const client = model.instances.find((i) => i.descriptor.role === 'client')!.id;
  return LEADS.map((lead) => {
    let state = initialState(model);
    const schedule: Choice[] = [];
    let started = false;
    for (let i = 0; i < MAX_STEPS; i++) {
      const occs = enabledOccurrences(model, state);
      if (occs.length === 0) break;
      let choice: Choice = { next: 0, delay: 0, pick: 0 };
      const checker = occs.findIndex((o) => o.kind === 'act' && o.at !== client);
      const act = occs.findIndex((o) => o.kind === 'act' && o.at === client);
      if (checker >= 0) choice = { next: checker, delay: 0, pick: 0 };
      else if (!started && act >= 0) {
        choice = { next: act, delay: Math.round(hc.interval * (1 - lead)), pick: 0 };
        started = true;
      }
      schedule.push(choice);
      state = step(model, state, choice, occs)!.state;
      if (started) break;
    }
    return { clients: 1, requests, schedule: withoutDefaultTail(schedule) };
  });
}
