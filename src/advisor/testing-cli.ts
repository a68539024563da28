/**
 * Test-only entry: a commander program with just `advise`, so CLI tests do not depend on the
 * gateway's src/cli/index.ts. Run with `node --import tsx src/advisor/testing-cli.ts advise …`.
 */
import { Command } from 'commander';
import { registerAdviseCommand } from '../cli/advise.js';

const program = new Command('switchyard');
registerAdviseCommand(program);
await program.parseAsync(process.argv);
