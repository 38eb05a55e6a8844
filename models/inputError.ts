/**
 * Bad input from a user (an unknown topology or property, a malformed
 * parameter): the CLI prints `message` alone and exits 2. The message names
 * what was wrong, where, and what is allowed.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
}
