#!/usr/bin/env node
import { reportFailure } from './cli/failure.js';
import { runCli } from './cli/main.js';

// Output piped into `head` or a pager that quit: stop quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });

/** The command line: a thin layer over the library (src/index.ts); src/cli/main.ts runs it in-process. */
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = reportFailure(e);
  },
);
