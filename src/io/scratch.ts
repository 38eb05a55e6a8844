import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputError } from './errors.js';

/** Scratch directories in use, and what to stop before removing each (a child process writing there). */
const live = new Map<string, (() => void)[]>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Best effort: a scratch directory that cannot be removed is not worth failing a command (or a signal handler) over. */
function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // left for the system to clean
  }
}

function removeAll(): void {
  for (const [dir, stops] of live) {
    for (const stop of stops)
      try {
        stop();
      } catch {
        // already stopped
      }
    removeQuietly(dir);
  }
  live.clear();
}

/** On a signal: remove every scratch directory, then die of that signal as if nobody had listened. */
function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
}

/**
 * Runs `work` with a fresh directory under the system's temporary directory
 * and removes it afterwards, also when the process is interrupted (Ctrl-C,
 * SIGTERM) while `work` waits on something. `onInterrupt` registers what to
 * stop first (a renderer still writing into the directory).
 */
export async function withScratchDirectory<T>(prefix: string, work: (dir: string, onInterrupt: (stop: () => void) => void) => Promise<T>): Promise<T> {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), prefix));
  } catch (e) {
    throw OutputError.failed(join(tmpdir(), `${prefix}XXXXXX`), e, 'create');
  }
  if (live.size === 0) for (const s of SIGNALS) process.on(s, onSignal);
  live.set(dir, []);
  try {
    return await work(dir, (stop) => live.get(dir)?.push(stop));
  } finally {
    live.delete(dir);
    if (live.size === 0) for (const s of SIGNALS) process.removeListener(s, onSignal);
    removeQuietly(dir);
  }
}
