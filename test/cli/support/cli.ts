import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/main.js';

/** What a command printed and its exit code. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The signal that ended a spawned process, if one did. */
  signal?: NodeJS.Signals | null;
}

const root = join(import.meta.dirname, '../../..');

/** Runs the command line in this process (src/cli/main.ts), in `cwd`, capturing what it prints. */
export async function cli(argv: readonly string[], cwd?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), tty: false });
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

const tsxLoader = createRequire(import.meta.url).resolve('tsx/esm');

export interface SpawnOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** The largest file the process may write, in bytes (`ulimit -f`): writing past it fails, as on a full disk. */
  maxFileBytes?: number;
  /** V8's heap limit in MB: a command that needs more dies, which a test sees. */
  maxOldSpaceMb?: number;
  /** Called once the process has started (to signal it, for instance). */
  started?: (pid: number) => void;
  timeoutMs?: number;
}

/** Runs the real command line in a process of its own (node, the TypeScript sources through tsx). */
export function spawnCli(argv: readonly string[], o: SpawnOptions): Promise<CliRun> {
  const node = [...(o.maxOldSpaceMb ? [`--max-old-space-size=${o.maxOldSpaceMb}`] : []), '--import', tsxLoader, join(root, 'src/cli.ts'), ...argv];
  const [command, args] =
    // POSIX `ulimit -f` counts 512-byte blocks.
    o.maxFileBytes === undefined ? [process.execPath, node] : ['/bin/sh', ['-c', `ulimit -f ${Math.floor(o.maxFileBytes / 512)} && exec "$0" "$@"`, process.execPath, ...node]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('spawn', () => o.started?.(child.pid!));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A stack frame (`    at f (file.ts:1:2)`): never on stderr but for an internal error. */
export const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
