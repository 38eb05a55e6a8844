import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The command line as a user runs it: a process of its own, piped output. Not a test file. */
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const cliSource = `${root}src/cli.ts`;
/** tsx's loader by absolute URL, so the CLI runs from any working directory. */
const tsx = import.meta.resolve('tsx');

/** Without npm's own variables (vitest runs under `npm test`): the CLI sees the environment a shell would give it. */
export function plainEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'FORCE_COLOR' && k !== 'NO_COLOR' && k !== 'COLUMNS'));
  return { ...env, ...extra };
}

export function connmodel(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', tsx, cliSource, ...args], { cwd: options.cwd ?? root, env: options.env ?? plainEnv(), encoding: 'utf8', timeout: 110_000 });
}

/** Starts the CLI and hands back the child (for tests that signal it). */
export function startConnmodel(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawn(process.execPath, ['--import', tsx, cliSource, ...args], { cwd: options.cwd ?? root, env: options.env ?? plainEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}
