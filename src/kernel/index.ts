export { stateHash, stableStringify } from './hash.js';
export { accepts, stepMachine } from './machineStep.js';
export { describeOccurrence, enabledOccurrences, type Occurrence } from './occurrences.js';
export { initialState, type ConnState, type InstanceState, type Pending, type SystemState, type TimerState, type Wire } from './state.js';
export { DEFAULT_CHOICE, step, type Choice, type StepResult } from './step.js';
