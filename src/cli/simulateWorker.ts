import { parentPort, workerData } from 'node:worker_threads';
import { runAndWrite, runFailureOf, type RunJob } from './simulateRun.js';

/**
 * A worker thread of `connmodel simulate` with several runs: runs one job,
 * reports progress, stops cleanly when told to (Ctrl-C in the parent), and
 * posts its report. The run is the same as on the main thread: same seed,
 * same numbers.
 */
let stop = false;
parentPort!.on('message', (m: { stop?: boolean }) => {
  if (m.stop) stop = true;
});
const job = workerData as RunJob;
runAndWrite(job, { onProgress: (p) => parentPort!.postMessage({ progress: p }), shouldStop: () => stop })
  .then(
    (report) => parentPort!.postMessage({ report }),
    // What kind of failure it was crosses with it: a file that cannot be written is exit 2, as on the main thread.
    (e: unknown) => parentPort!.postMessage({ error: runFailureOf(e) }),
  )
  // The message listener would keep the thread alive: the run is over, so is the thread.
  .finally(() => parentPort!.close());
