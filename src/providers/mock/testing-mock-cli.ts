/**
 * Test-only entry: runs `mock-upstream` from the TypeScript sources (`node --import tsx`), so
 * the mock's own tests need no build. Users run `switchyard mock-upstream` instead.
 */
import { Command } from 'commander';
import { registerMockUpstreamCommand } from '../../cli/mock-upstream.js';

const program = new Command().name('switchyard');
registerMockUpstreamCommand(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
