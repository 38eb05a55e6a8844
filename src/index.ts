/**
 * connmodel as a library: load or name a topology, check properties by
 * random exploration or exhaustive search, save and replay traces, draw them.
 *
 * Every export is named here and is the supported API. The kernel's stepping,
 * canonical forms and other internals are under `connmodel/internal`; they may
 * change between versions. This file and src/cli are the only places that
 * wire the property catalogue in.
 */
import { topologyNamed } from '../models/topologies/index.js';
import type { Topology } from '../models/topologies/topology.js';
import { catalogue, propertyNamed } from '../properties/catalogue.js';
import { check, type CheckOptions, type CheckResult } from './explore/check.js';
import type { Property } from './explore/property.js';
import type { TraceFile } from './trace/file.js';
import { replayTrace as replayWith, type ReplayResult } from './trace/replay.js';

// Errors
export { InputError } from '../models/inputError.js';
export { OutputError } from './io/errors.js';
export { ModelError } from './explore/check.js';

// Topologies: the shipped ones, topology files, and the presets they are built from
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
export { app, cdn, client, connQueue, database, gateway, healthCheck, nginx, nlb, withParams, type TierPreset } from '../models/tiers/index.js';
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

// Machine kinds: what a tier machine says about itself, and how to add one
export {
  describeMachine,
  descriptorOf,
  machineDescriptors,
  registerMachineKind,
  unregisterMachineKind,
  type ComposeContext,
  type ConnectionView,
  type Footprint,
  type IdField,
  type MachineDescriptor,
  type ParamsOf,
  type Provenance,
  type Source,
  type TierRole,
} from '../models/machines/index.js';
export type { Effect, Side, TierEvent } from '../models/machines/vocabulary.js';
export { composeSystem, type SystemModel } from '../models/system.js';

// Properties: the contract and the catalogue
export {
  violation,
  type Applicability,
  type Monitor,
  type Property,
  type PropertyBounds,
  type PropertyCapabilities,
  type PropertyKind,
  type PropertyMeasure,
  type Verdict,
  type Violation,
} from './explore/property.js';
export { applicabilityOf, isFailure, isHealthy, verdictText } from './explore/verdict.js';
export { catalogue, conservation, flowBound, healthBlindSpot, keepaliveLimits, noReset, noStarvation, oneToOne, propertyNamed, queueAdmission } from '../properties/catalogue.js';

// Checking: random exploration, exhaustive search, single runs
export {
  check,
  checkAsync,
  DEFAULT_CHECK_OPTIONS,
  type CheckHooks,
  type CheckOptions,
  type CheckResult,
  type Counterexample,
  type ExploredBounds,
  type FacetResult,
} from './explore/check.js';
export { coverageOf, mergeExercised, type Exercised, type MachineCoverage } from './explore/coverage.js';
export { machineGraph, type MachineGraph } from './explore/machineGraph.js';
export type { Tail } from './explore/tail.js';
export {
  DEFAULT_EXHAUSTIVE_OPTIONS,
  ExhaustiveCheck,
  exhaustiveCheck,
  NotExhaustible,
  type ExhaustiveCheckResult,
  type ExhaustiveOptions,
  type ExhaustiveStats,
} from './explore/exhaustive/index.js';
export { runScenario, type RunOutcome } from './explore/run.js';
export type { Scenario } from './explore/scenarios.js';
export type { Choice } from './kernel/step.js';
export type { TraceEvent, TraceEventType } from './kernel/events.js';

// Simulation at production load: scenarios, runs, per-minute metrics, trace windows
export type { SimulationScenario, ScenarioEvent, RateSchedule, DelayDistribution } from '../models/scenarios/scenario.js';
export { scenarios as simulationScenarios } from '../models/scenarios/shipped.js';
export { simulate, Simulation, type SimulationOptions, type SimulationResult } from './simulate/engine.js';
export { loadScenarioFile, parseScenarioText, resolveScenario } from './topologyFile/scenarioFile.js';
export { windowTrace } from './trace/simulationWindow.js';

// Traces: save, read, replay, describe
export { counterexampleTrace } from './trace/counterexample.js';
export { parseTrace, readTrace, TRACE_LIMITS, TraceFileError, traceToJson, type TraceFile } from './trace/file.js';
export { traceJsonSchema } from './trace/jsonSchema.js';
export { describeEvent, describeTrace } from './trace/describe.js';
export type { ReplayResult } from './trace/replay.js';
export { saveCounterexamples, type SavedCounterexample } from './report/counterexamples.js';

// Reports: a check session with streamed results, its text and JSON, the HTML report and its trace explorer
export { runCheckSession, type CheckPlan, type SessionListener, type SessionOutcome, type SessionProgress } from './report/checkSession.js';
export type { CheckReport } from './report/checkReport.js';
export { checkJson } from './report/checkJson.js';
export { checkHeader, checkText, closingLines, coverageLines, propertyBlock, quietLine, summaryRows, summaryTable, verdictWord } from './report/checkText.js';
export { checkCoverage, coverageShortfall, failed } from './report/checkReport.js';
export { traceExcerpt } from './report/traceExcerpt.js';
export { stepThrough, type InstanceInfo, type InstanceView, type SteppedTrace, type StepView } from './report/stepThrough.js';
export { reportHtml, writeHtmlReport } from './report/html/write.js';
export type { HtmlReportInput } from './report/html/data.js';
export type { SimulationChart, SimulationSection } from './report/html/simulation.js';

// Diagrams
export { sequenceTexts, traceDiagramTexts, type DiagramTexts } from './diagrams/traceDiagrams.js';
export { machineDiagrams, type MachineDiagram } from './diagrams/machineDiagrams.js';
export { writeDiagrams, writeTraceDiagram, type DiagramsReport, type WriteDiagramsOptions } from './diagrams/writeDiagrams.js';

// Sweeps over parameters
export { assumptionParams, parseParamSpec, withParam, type SweptParam } from './sweep/params.js';
export { rangesOf, sweep, type SweepLine, type SweepMode, type SweepOptions, type SweepRange, type SweepResult } from './sweep/sweep.js';
export { sweepJson, sweepMarkdown, sweepText, type SweepReportInput } from './sweep/report.js';
/** The worker thread module `sweep` runs its checks on (`{ workers: N, module: sweepWorker }`): the catalogue's properties, by name. */
export const sweepWorker = new URL(`./cli/sweepWorker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

// The verdict matrix
export { runMatrix, type Matrix, type MatrixCell } from './matrix/run.js';
export { matrixMarkdown } from './matrix/markdown.js';
export { matrixJson } from './matrix/json.js';

/** Checks several properties on one topology (default: the whole catalogue). */
export function checkAll(topology: Topology | string, properties: readonly Property[] = catalogue, options: Partial<CheckOptions> = {}): CheckResult[] {
  const t = typeof topology === 'string' ? topologyNamed(topology) : topology;
  return properties.map((p) => check(t, p, options));
}

/**
 * Re-executes a saved trace on `current` (the topology as it is now) and
 * compares every event; the property the trace names comes from the
 * catalogue unless given.
 */
export function replayTrace(trace: TraceFile, current: Topology, property: Property | null = trace.property === null ? null : propertyNamed(trace.property)): ReplayResult {
  return replayWith(trace, current, property);
}
