/**
 * Test-only entry: a CLI with just the `keys` command, spawned by tests with
 * `node --import tsx src/identity/testing-cli.ts keys …` until src/cli/index.ts registers it.
 */
import { Command, CommanderError } from 'commander';
import { registerKeysCommand } from '../cli/keys.js';

const program = new Command().name('switchyard').exitOverride();
registerKeysCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
