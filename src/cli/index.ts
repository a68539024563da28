#!/usr/bin/env node
import { CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { buildProgram } from './build-program.js';

// `switchyard config schema | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// Only the command that runs is loaded (command-table.ts): `--help` and `scan` start in a
// fraction of the time it takes to load the gateway.
const program = await buildProgram(process.argv.slice(2));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    // One readable line; the stack is for LOG_LEVEL=debug, not for operators.
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.LOG_LEVEL === 'debug') console.error(error);
    process.exitCode = 1;
  }
}
