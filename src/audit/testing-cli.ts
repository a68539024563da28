/**
 * Test-only entry: a commander program with just the audit, spend and migrate commands, so
 * their tests can spawn a real process (exit codes, stdout) without the whole CLI.
 * Usage: node --import tsx src/audit/testing-cli.ts audit verify --storage …
 */
import { Command, CommanderError } from 'commander';
import { registerAuditCommand } from '../cli/audit.js';
import { registerMigrateCommand } from '../cli/migrate.js';
import { registerSpendCommand } from '../cli/spend.js';

const program = new Command().name('switchyard').exitOverride();
registerAuditCommand(program);
registerSpendCommand(program);
registerMigrateCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
