import { parentPort } from 'node:worker_threads';
import type { Property } from '../explore/property.js';
import { runSweepJob, type SweepJob } from './jobs.js';

/**
 * The body of a sweep worker thread: runs each job it is sent and posts its
 * cell back. The module that calls it supplies the property lookup (only the
 * entry layer wires the catalogue in).
 */
export function serveSweepJobs(propertyNamed: (name: string) => Property): void {
  const port = parentPort;
  if (!port) throw new Error('serveSweepJobs runs in a worker thread');
  port.on('message', (job: SweepJob) => {
    try {
      port.postMessage({ index: job.index, cell: runSweepJob(job, propertyNamed(job.property)) });
    } catch (e) {
      port.postMessage({ index: job.index, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
}
