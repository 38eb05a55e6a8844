import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readTrace } from '../../../src/trace/file.js';

/** A directory in which no file can be created: a read-only one, or for root (whom permissions do not stop) a place in /proc. */
export function readOnlyDirectory(parent: string): string {
  if (process.getuid?.() === 0) return '/proc/connmodel-read-only';
  const dir = join(parent, 'read-only');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o555);
  return dir;
}

/** Every file under `dir`, relative to it, sorted. */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, r), { throwIfNoEntry: false })?.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out;
}

/**
 * Why a file connmodel wrote is not whole, or null: a temporary file left
 * behind, a trace that does not read back, a diagram without its end.
 */
export function halfWritten(path: string): string | null {
  if (/\.tmp-\d+/.test(path)) return 'a temporary file was left behind';
  if (path.endsWith('.trace.json')) {
    try {
      readTrace(path);
    } catch (e) {
      return `the trace does not read back: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  if (path.endsWith('.puml') && !readFileSync(path, 'utf8').endsWith('@enduml\n')) return 'a PlantUML file without @enduml';
  if (path.endsWith('.mmd') && readFileSync(path, 'utf8').trim() === '') return 'an empty Mermaid file';
  return null;
}
