/** The exit codes of every command, in one place (README "Exit codes" and `connmodel --help` say the same). */
export const EXIT = {
  /** Nothing failed (every checked property holds, or reaches no bad state), or the command ran. */
  ok: 0,
  /** A finding: a property is violated or a bad state is reachable, or a replay differs: the only meaning of 1. */
  violated: 1,
  /** Bad input or an unusable environment: an unknown name, a malformed file, an output that cannot be written. */
  badInput: 2,
  /** A bug in connmodel. */
  internal: 3,
  /** A diagram renderer (Chromium, PlantUML) failed; the text diagrams are written. */
  renderFailed: 4,
  /** `check --min-coverage P`: nothing failed, but a machine kind's transitions were exercised less than P %. */
  coverageShortfall: 5,
  /** Interrupted (Ctrl-C): what was found so far is printed and written. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    nothing failed (every checked property holds, or reaches no bad state), or the command ran',
  '  1    a finding: a property is violated or a bad state is reachable, or a replay differs',
  '  2    bad input or an unusable output: one error line says what, where, and what is allowed; nothing half-written',
  '  3    internal error (a bug: please report it with the command)',
  '  4    a diagram renderer failed (the text diagrams are written)',
  '  5    check --min-coverage P: nothing failed, but a machine kind\'s transitions were exercised less than P %',
  '  130  interrupted (Ctrl-C): what was found so far is printed and its traces written',
].join('\n');
