import type { Topology } from '../../models/topologies/topology.js';
import { checkAsync, type CheckOptions, type CheckResult } from '../explore/check.js';
import type { ExhaustiveOptions } from '../explore/exhaustive/index.js';
import { progressLine, searchAsync } from '../explore/exhaustive/runner.js';
import type { Property } from '../explore/property.js';
import { OutputError } from '../io/errors.js';
import type { TraceFile } from '../trace/file.js';
import { saveCounterexamples, type SavedCounterexample } from './counterexamples.js';

/** What a `check` runs: which properties, how, and where counterexamples go. */
export interface CheckPlan {
  topology: Topology;
  properties: readonly Property[];
  options: CheckOptions;
  /** Exhaustive search options; null for random exploration. */
  exhaustive: Partial<ExhaustiveOptions> | null;
  /** Where traces and diagrams are written; null: nowhere. */
  outDir: string | null;
  /** The topology file the topology was read from, recorded in every trace (replay warns when it changed). */
  topologyFile?: TraceFile['topologyFile'] | null;
}

/** How far the property being checked has got, for a progress line. */
export interface SessionProgress {
  property: string;
  /** 1-based position of the property, and how many there are. */
  index: number;
  count: number;
  seconds: number;
  /** `2345/7000 runs`, or the exhaustive search's states and depth. */
  text: string;
}

export interface SessionListener {
  progress?(p: SessionProgress): void;
  /** A property finished (or was stopped, its result marked `interrupted`); its traces are written already. */
  finished?(result: CheckResult, saved: SavedCounterexample[]): void;
}

export interface SessionOutcome {
  results: CheckResult[];
  saved: Map<string, SavedCounterexample[]>;
  /** Stopped before every property was checked to its end. */
  interrupted: boolean;
  /** A file that could not be written: saving stopped there, checking did not. */
  failure: OutputError | null;
}

/**
 * Checks the properties one after the other, each explored asynchronously
 * (random runs or search slices yield to the event loop every few
 * milliseconds), so that progress can be shown and `stopped()` (Ctrl-C) is
 * seen within moments. Each result is reported, with its counterexamples
 * already written, as soon as its property is done: output streams. A stopped
 * session still reports and writes what the interrupted property had found.
 */
export async function runCheckSession(plan: CheckPlan, listener: SessionListener = {}, stopped: () => boolean = () => false): Promise<SessionOutcome> {
  const results: CheckResult[] = [];
  const saved = new Map<string, SavedCounterexample[]>();
  let interrupted = false;
  let failure: OutputError | null = null;
  for (const [i, property] of plan.properties.entries()) {
    if (stopped()) {
      interrupted = true;
      break;
    }
    const started = performance.now();
    const progress = (text: string) =>
      listener.progress?.({ property: property.name, index: i + 1, count: plan.properties.length, seconds: (performance.now() - started) / 1000, text });
    const result = plan.exhaustive
      ? await searchAsync(plan.topology, property, plan.exhaustive, { stopped, onProgress: (p) => progress(progressLine(property.name, p)) })
      : await checkAsync(plan.topology, property, plan.options, { stopped, onRun: (done, total) => progress(`${done}/${total} runs`) });
    const steps = (result.counterexample ?? result.witness)?.steps ?? 0;
    // An exhaustive counterexample may be longer than the random step bound: save it with room to replay.
    const maxSteps = plan.exhaustive ? Math.max(plan.options.maxSteps, steps + 1) : plan.options.maxSteps;
    // Filled as each counterexample's files are written: what is whole when a later write fails.
    const written: SavedCounterexample[] = [];
    if (plan.outDir !== null && failure === null)
      try {
        saveCounterexamples(plan.outDir, plan.topology, property, result, { maxSteps, topologyFile: plan.topologyFile ?? null }, written);
      } catch (e) {
        if (!(e instanceof OutputError)) throw e;
        failure = e;
      }
    saved.set(property.name, written);
    results.push(result);
    listener.finished?.(result, written);
    if (result.interrupted) {
      interrupted = true;
      break;
    }
  }
  return { results, saved, interrupted, failure };
}
