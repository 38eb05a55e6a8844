import { InputError } from '../../models/inputError.js';

/**
 * Reports a command's failure on stderr and returns its exit code: 2 for bad
 * input (one line saying what was wrong), 3 for anything else, which is a bug
 * in connmodel (the message and the stack, so that it can be reported).
 * Never 1, which means "a property is violated".
 */
export function reportFailure(e: unknown): number {
  if (e instanceof InputError) {
    process.stderr.write(`connmodel: ${e.message}\n`);
    return 2;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`connmodel: internal error (exit 3; please report it with the command that caused it)\n${detail}\n`);
  return 3;
}
