/**
 * connmodel as a library: compose a topology, run schedules through the
 * kernel, check properties, save and replay traces.
 */
export { InputError } from '../models/inputError.js';
export * from '../models/machines/index.js';
export type { Effect, Side, TierEvent } from '../models/machines/vocabulary.js';
export { checkTopologyShape, composeSystem, healthTierOf, tierOf, tiersOf, topologyShapeProblems, type ShapeProblem, type SystemModel } from '../models/system.js';
export * as tiers from '../models/tiers/index.js';
export {
  defaultTopology,
  mistaken,
  mitigations,
  seed,
  seedSmall,
  topologies,
  topologyNamed,
  type HealthCheck,
  type Mitigation,
  type TierSpec,
  type Topology,
} from '../models/topologies/index.js';
export {
  catalogue,
  conservation,
  flowBound,
  healthBlindSpot,
  keepaliveLimits,
  noReset,
  noStarvation,
  oneToOne,
  propertyNamed,
  queueAdmission,
  type Monitor,
  type Property,
  type PropertyBounds,
  type Verdict,
  type Violation,
} from '../properties/catalogue.js';
export { flowReport } from '../properties/flowBound.js';
export { matrixJson, matrixMarkdown, runMatrix, type Matrix, type MatrixCell } from './cli/matrixCommand.js';
export { checkAll, counterexampleTrace, saveCounterexamples } from './api.js';
export { check, DEFAULT_CHECK_OPTIONS, type CheckOptions, type CheckResult, type Counterexample } from './explore/check.js';
export { runScenario, type RunOutcome, type Scenario } from './explore/run.js';
export { scenarioArbitrary } from './explore/scenarios.js';
export * from './kernel/index.js';
export { describeEvent, describeTrace } from './trace/describe.js';
export type { TraceEvent, TraceEventType } from './trace/events.js';
export { parseTrace, readTrace, type TraceFile } from './trace/file.js';
export { replayTrace, type ReplayResult } from './trace/replay.js';
export * as diagrams from './diagrams/index.js';
export {
  loadTopologyFile,
  parseTopologyText,
  resolveTopology,
  topologyJsonSchema,
  topologyToDocument,
  topologyToYaml,
  TopologyFileError,
  type FileProblem,
} from './topologyFile/index.js';
export {
  DEFAULT_EXHAUSTIVE_OPTIONS,
  ExhaustiveCheck,
  exhaustiveCheck,
  NotExhaustible,
  type ExhaustiveCheckResult,
  type ExhaustiveOptions,
  type ExhaustiveStats,
} from './explore/exhaustive/index.js';
export { canonicalForm, canonicalString } from './kernel/canonical.js';
