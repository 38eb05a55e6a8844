import type { Method } from '../machines/vocabulary.js';
import type { RequestKind } from './scenario.js';

/** The most methods a client machine cycles through (its `methods` parameter). */
export const MAX_METHOD_CYCLE = 16;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/**
 * A request mix as the client machine's `methods` cycle: the weights divided
 * by their greatest common divisor, spread evenly (smooth weighted round
 * robin, as NGINX balances), so that 4 GET : 1 POST is GET GET POST GET GET.
 * Each customer connection sends its n-th request with the n-th method of
 * the cycle: the mix holds over every five requests of a connection rather
 * than by a draw per request, since the method is the client machine's
 * choice, not the load generator's. Null when the weights are not whole
 * numbers or reduce to more than MAX_METHOD_CYCLE requests.
 */
export function methodCycle(mix: readonly RequestKind[]): Method[] | null {
  const kinds = mix.filter((m) => m.weight > 0);
  if (kinds.length === 0 || kinds.some((m) => !Number.isInteger(m.weight))) return null;
  const d = kinds.reduce((g, m) => gcd(g, m.weight), 0);
  const weights = kinds.map((m) => m.weight / d);
  const total = weights.reduce((a, b) => a + b, 0);
  if (total > MAX_METHOD_CYCLE) return null;
  const current = weights.map(() => 0);
  const cycle: Method[] = [];
  for (let n = 0; n < total; n++) {
    let best = 0;
    for (let i = 0; i < weights.length; i++) {
      current[i]! += weights[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    cycle.push(kinds[best]!.method);
  }
  return cycle;
}
