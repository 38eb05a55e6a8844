import { Worker } from 'node:worker_threads';
import type { Topology } from '../../models/topologies/topology.js';
import { check } from '../explore/check.js';
import type { Property, Verdict } from '../explore/property.js';
import { runLabel } from '../explore/verdict.js';

/**
 * A sweep's unit of work: one property checked on one variant of a topology.
 * Jobs are independent and deterministic for their seed, so they may run in
 * any order on any number of worker threads: results are kept by index, and
 * one core gives the same answer as many.
 */
export interface SweepJob {
  index: number;
  topology: Topology;
  property: string;
  runs: number;
  seed: number;
  /** Make the counterexample the simplest (only for the one shown per violated range: it costs). */
  minimize: boolean;
}

/** What a sweep keeps of a check. */
export interface SweepCell {
  verdict: Verdict;
  runs: number;
  reason?: string;
  run?: { label: 'counterexample' | 'witness'; clientConnections: number; requests: number; steps: number; facet: string | null; message: string };
}

/** Runs one job in this thread. */
export function runSweepJob(job: SweepJob, property: Property): SweepCell {
  const r = check(job.topology, property, { runs: job.runs, seed: job.seed, minimize: job.minimize });
  const cx = r.counterexample ?? r.witness;
  return {
    verdict: r.verdict,
    runs: r.runs,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(cx
      ? { run: { label: runLabel(property), clientConnections: cx.clientConnections, requests: cx.requests, steps: cx.steps, facet: cx.facet, message: cx.message } }
      : {}),
  };
}

/** Where jobs run: in this thread (`workers` 1), or on worker threads running `module` (see `serveSweepJobs`). */
export interface JobRunner {
  workers: number;
  /** A module that calls `serveSweepJobs` with a property lookup (the command line's: src/cli/sweepWorker.ts). */
  module?: URL;
}

/** Runs every job, in this thread or spread over worker threads; the results in job order. */
export async function runSweepJobs(jobs: readonly SweepJob[], propertyNamed: (name: string) => Property, runner: JobRunner): Promise<SweepCell[]> {
  if (runner.workers <= 1 || jobs.length <= 1 || !runner.module) return jobs.map((j) => runSweepJob(j, propertyNamed(j.property)));
  const module = runner.module;
  const results: SweepCell[] = new Array(jobs.length);
  let next = 0;
  // TypeScript sources (tests, tsx): the worker registers tsx's loader before loading them.
  const start = () =>
    module.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`, { eval: true })
      : new Worker(module);
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const w = start();
      const feed = () => {
        if (next >= jobs.length) {
          void w.terminate().then(() => resolve());
          return;
        }
        w.postMessage(jobs[next++]);
      };
      w.on('message', (m: { index: number; cell?: SweepCell; error?: string }) => {
        if (m.error !== undefined) {
          void w.terminate();
          reject(new Error(`sweep job ${m.index} (${jobs[m.index]!.property} on ${jobs[m.index]!.topology.name}): ${m.error}`));
          return;
        }
        results[m.index] = m.cell!;
        feed();
      });
      w.on('error', reject);
      feed();
    });
  await Promise.all(Array.from({ length: Math.min(runner.workers, jobs.length) }, one));
  return results;
}
