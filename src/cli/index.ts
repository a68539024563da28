#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { registerAdviseCommand } from './advise.js';
import { registerAuditCommand } from './audit.js';
import { registerConfigCommand } from './config.js';
import { registerKeysCommand } from './keys.js';
import { registerLoadtestCommand } from './loadtest.js';
import { registerMigrateCommand } from './migrate.js';
import { registerMockUpstreamCommand } from './mock-upstream.js';
import { registerPolicyCommand } from './policy.js';
import { registerPricesCommand } from './prices.js';
import { registerScanCommand } from './scan.js';
import { registerGuardCommand } from './guard.js';
import { registerServeCommand } from './serve.js';
import { registerSpendCommand } from './spend.js';
import { registerReleaseCommand } from './release.js';
import { registerEvalCommand } from './eval.js';

// `switchyard config schema | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command()
  .name('switchyard')
  .description('Switchyard — self-hosted LLM control plane')
  .version('0.1.0')
  .exitOverride();

registerServeCommand(program);
registerConfigCommand(program);
registerScanCommand(program);
registerGuardCommand(program);
registerPolicyCommand(program);
registerKeysCommand(program);
registerAuditCommand(program);
registerSpendCommand(program);
registerPricesCommand(program);
registerMigrateCommand(program);
registerAdviseCommand(program);
registerMockUpstreamCommand(program);
registerLoadtestCommand(program);
registerReleaseCommand(program);
registerEvalCommand(program);

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
