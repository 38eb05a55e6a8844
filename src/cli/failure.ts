import { InputError } from '../../models/inputError.js';
import { isOsError, osReason } from '../io/errors.js';
import { EXIT } from './exitCodes.js';
import { Printer } from './output.js';

/**
 * Reports a command's failure on stderr and returns its exit code: 2 for bad
 * input or an OS error (one message saying what was wrong and where), 3 for
 * anything else, which is a bug in connmodel (the message and the stack, so
 * that it can be reported). Never 1, which means "a property is violated".
 */
export function reportFailure(e: unknown, out: Printer = new Printer(), command?: string): number {
  const who = command === undefined ? 'connmodel' : `connmodel ${command}`;
  if (e instanceof InputError) {
    out.error(`${who}: ${e.message}\n`);
    return EXIT.badInput;
  }
  // An I/O failure that escaped the checked reads and writes is still the environment's, not a bug.
  if (isOsError(e)) {
    const path = typeof e.path === 'string' ? ` '${e.path}'` : '';
    out.error(`${who}: cannot ${e.syscall ?? 'do file I/O'}${path}: ${osReason(e)}\n`);
    return EXIT.badInput;
  }
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  out.error(`${who}: internal error (exit 3; please report it with the command that caused it)\n${detail}\n`);
  return EXIT.internal;
}
