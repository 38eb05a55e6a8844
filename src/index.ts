/**
 * connmodel as a library: compose a topology, run schedules through the
 * kernel, check properties, save and replay traces.
 */
export { InputError } from '../models/inputError.js';
export * from '../models/machines/index.js';
export type { Effect, Side, TierEvent } from '../models/machines/vocabulary.js';
export { composeSystem, tierOf, type SystemModel } from '../models/system.js';
export * as tiers from '../models/tiers/index.js';
export { defaultTopology, topologies, topologyNamed, type TierSpec, type Topology } from '../models/topologies/index.js';
export { catalogue, propertyNamed, type Monitor, type Property, type Verdict, type Violation } from '../properties/catalogue.js';
export { checkAll, counterexampleTrace, saveCounterexamples } from './api.js';
export { check, DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult, type Counterexample } from './explore/check.js';
export { runScenario, type RunOutcome, type Scenario } from './explore/run.js';
export { scenarioArbitrary } from './explore/scenarios.js';
export * from './kernel/index.js';
export { describeEvent, describeTrace } from './trace/describe.js';
export type { TraceEvent, TraceEventType } from './trace/events.js';
export { parseTrace, readTrace, type TraceFile } from './trace/file.js';
export { replayTrace, type ReplayResult } from './trace/replay.js';
