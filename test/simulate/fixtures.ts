import { steady } from '../../models/scenarios/shipped.js';
import type { SimulationScenario } from '../../models/scenarios/scenario.js';

/** A small scenario for tests: a constant rate, few clients, no trigger (override what a test needs). */
export function smallScenario(over: Partial<SimulationScenario> = {}, rate = 40, clients = 10): SimulationScenario {
  return {
    ...steady,
    name: 'test-small',
    arrivals: { kind: 'constant', rate },
    clients: { ...steady.clients, count: clients, connections: 2 },
    ...over,
  };
}
