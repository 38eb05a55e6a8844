import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRootOf } from './invocation.js';

/** `connmodel 0.1.0`, from the package's own package.json (src/ and dist/src/ both find it). */
export function versionLine(): string {
  const root = packageRootOf(fileURLToPath(import.meta.url));
  const version = root ? (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version : 'unknown';
  return `connmodel ${version}`;
}
