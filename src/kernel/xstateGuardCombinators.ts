import { and, not, or } from 'xstate';

/**
 * The one place that reads XState structure outside its public API.
 *
 * `and([...])`, `or([...])` and `not(g)` return a guard function that carries
 * its operands as `.guards` and its evaluation as `.check` (XState 5's
 * `checkAnd`/`checkOr`/`checkNot`); the public types do not expose either.
 * The compiled stepper needs the operands to evaluate combined guards
 * without XState. We recognise a combinator by its `check` being the very
 * function XState's own `and`/`or`/`not` attach (not by name, which a
 * minifier may change); if XState changes this, `combinatorOf` returns null
 * and the compiler refuses the machine (the kernel then steps it through
 * XState), and the differential test fails on the shipped machines.
 */
type Checked = { check?: unknown; guards?: unknown };

const checkOf = (g: unknown): unknown => (g as Checked).check;
const AND = checkOf(and([]));
const OR = checkOf(or([]));
const NOT = checkOf(not(() => true));

export interface GuardCombinator {
  kind: 'and' | 'or' | 'not';
  /** The operands: named guards, `{ type, params }` objects, inline functions or further combinators. */
  guards: readonly unknown[];
}

/** The combinator a guard is, or null for a plain guard. */
export function combinatorOf(guard: unknown): GuardCombinator | null {
  if (typeof guard !== 'function') return null;
  const check = checkOf(guard);
  if (check === undefined) return null;
  const guards = (guard as Checked).guards;
  if (!Array.isArray(guards)) return null;
  if (check === AND) return { kind: 'and', guards };
  if (check === OR) return { kind: 'or', guards };
  if (check === NOT) return { kind: 'not', guards };
  return null;
}

/** Whether a guard is an XState built-in guard of a kind we do not know (so it cannot be compiled). */
export function isUnknownBuiltinGuard(guard: unknown): boolean {
  return typeof guard === 'function' && checkOf(guard) !== undefined && combinatorOf(guard) === null;
}
