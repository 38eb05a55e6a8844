import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The Debian packages that provide the renderers (what CI installs). */
export const INSTALL = { chromium: 'chromium', plantuml: 'plantuml', graphviz: 'graphviz' } as const;
export type Renderer = keyof typeof INSTALL;

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Where a Chromium for puppeteer is: PUPPETEER_EXECUTABLE_PATH if set, else the usual system paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env.PUPPETEER_EXECUTABLE_PATH;
  if (set) return executable(set) ? set : null;
  const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find(executable) ?? null;
}

/** A command on PATH, or null. */
function onPath(command: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** A `plantuml` command on PATH, or null. */
export function findPlantUml(env: NodeJS.ProcessEnv = process.env): string | null {
  return onPath('plantuml', env);
}

/**
 * Graphviz's `dot`, which PlantUML needs for every diagram but sequence
 * diagrams (GRAPHVIZ_DOT if set, as PlantUML reads it). Without it PlantUML
 * still exits 0, drawing an error message instead of the diagram.
 */
export function findGraphviz(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env.GRAPHVIZ_DOT;
  if (set) return executable(set) ? set : null;
  return onPath('dot', env);
}

/**
 * How Chromium must start here: as root (no sandbox), headless, and with the
 * background services off, since this machine has no network and Chromium's
 * attempts to reach Google's hosts are refused many at a time.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const WHAT: Record<Renderer, string> = {
  chromium: 'Mermaid (needs Chromium)',
  plantuml: 'PlantUML',
  graphviz: 'PlantUML state diagrams (need Graphviz)',
};

/** The one line that says what to install when renderers are missing. */
export function installHint(missing: readonly Renderer[], env: NodeJS.ProcessEnv = process.env): string {
  // Without PlantUML, its state diagrams are not drawn either: no need to say so twice.
  const what = missing
    .filter((m) => !(m === 'graphviz' && missing.includes('plantuml')))
    .map((m) => WHAT[m])
    .join(' and ');
  const badPath = missing.includes('chromium') && env.PUPPETEER_EXECUTABLE_PATH ? ` (PUPPETEER_EXECUTABLE_PATH=${env.PUPPETEER_EXECUTABLE_PATH} is not executable)` : '';
  return `${what} not rendered, text files written; to render: apt-get install -y ${missing.map((m) => INSTALL[m]).join(' ')}${badPath}`;
}
