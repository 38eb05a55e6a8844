/**
 * connmodel's internals, for tools built on it (`connmodel/internal`): the
 * kernel's stepping and occurrences, canonical forms, schedule generators,
 * diagram building blocks. Not the supported API (that is `connmodel`):
 * these may change between versions.
 */
export { canonicalForm, canonicalString, symmetryGroups } from './kernel/canonical.js';
export { stableStringify, stateHash } from './kernel/hash.js';
export { accepts, initialSnapshot, stepMachine, type InstanceState } from './kernel/machineStep.js';
export { describeOccurrence, enabledOccurrences, eventTypeOf, type Occurrence } from './kernel/occurrences.js';
export { initialState, type ConnState, type Pending, type SystemState, type TimerState, type Wire } from './kernel/state.js';
export { DEFAULT_CHOICE, step, withoutDefaultTail, type StepResult } from './kernel/step.js';
export { traceEvent } from './kernel/events.js';
export { choiceArbitrary, scenarioArbitrary, type ScenarioBounds } from './explore/scenarios.js';
export { raceScenarios } from './explore/races.js';
export { FlowCounter, flowReport } from './trace/flows.js';
export * as diagrams from './diagrams/index.js';
export * as ids from '../models/ids.js';
