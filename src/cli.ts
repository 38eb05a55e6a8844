#!/usr/bin/env node
import { reportFailure } from './cli/failure.js';
import { runCli } from './cli/main.js';

/** The command line: a thin layer over the library (src/index.ts); src/cli/main.ts runs it in-process. */
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportFailure(e);
  },
);
