import { createHash } from 'node:crypto';
import type { SystemState } from './state.js';

/** JSON with object keys sorted, so equal states serialise identically whatever their construction order. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

/** A stable 128-bit hash of a system state (hex). Equal states, equal hashes, across runs and machines. */
export function stateHash(state: SystemState): string {
  return createHash('sha256').update(stableStringify(state)).digest('hex').slice(0, 32);
}
