import { spawnSync } from 'node:child_process';
import { findPlantUml } from '../../../src/diagrams/tools.js';

/**
 * PlantUML's own syntax check (`plantuml -syntax`, one diagram on stdin).
 * Tests that need it are skipped only on a developer machine without
 * PlantUML; in CI (CI=true) a missing PlantUML fails them, since CI installs it.
 */
export const plantuml = findPlantUml();
export const inCI = process.env.CI === 'true';
export const skipWithoutPlantUml = plantuml === null && !inCI;

export function requirePlantUml(): string {
  if (plantuml === null) throw new Error('plantuml is not on PATH; CI must install it: apt-get install -y plantuml');
  return plantuml;
}

/** null when PlantUML accepts the diagram, else what it said. */
export function plantUmlSyntaxError(text: string): string | null {
  const r = spawnSync(requirePlantUml(), ['-syntax'], { input: text, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  // It prints the diagram type (SEQUENCE, STATE) on success, ERROR and the line on failure.
  return r.status === 0 && !r.stdout.startsWith('ERROR') ? null : `${r.stdout}${r.stderr}`.trim();
}
