import { spawn } from 'node:child_process';

export interface ToolResult {
  stdout: string;
  stderr: string;
}

/** Output kept from a tool, per stream: enough for its error messages. */
const MAX_OUTPUT = 1 << 20;

/**
 * Runs a renderer's command in a process group of its own, so that stopping
 * it (after `timeoutMs`, or through `onInterrupt` on Ctrl-C) stops whatever
 * it started too (a shell script's JVM). Rejects with the tool's stderr when
 * it fails, and says so when it was stopped for taking too long.
 */
export function runTool(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  onInterrupt: (stop: () => void) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    const kept = { stdout: '', stderr: '' };
    for (const name of ['stdout', 'stderr'] as const)
      child[name].on('data', (d: Buffer) => {
        if (kept[name].length < MAX_OUTPUT) kept[name] += d.toString('utf8');
      });
    const stop = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    onInterrupt(stop);
    let late = false;
    const timer = setTimeout(() => {
      late = true;
      stop();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (late) reject(new Error(`${command} did not finish within ${timeoutMs / 1000} s and was stopped`));
      else if (code === 0) resolve(kept);
      else reject(Object.assign(new Error(`${command} exited with ${code ?? signal}`), kept));
    });
  });
}
