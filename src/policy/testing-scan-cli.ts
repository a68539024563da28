/**
 * Test-only entry for `switchyard scan`: a bare commander program with just the scan command,
 * so tests can spawn the real contract before the main CLI wires it in.
 *   node --import tsx src/policy/testing-scan-cli.ts scan < input.jsonl
 */
import { Command } from 'commander';
import { registerScanCommand } from '../cli/scan.js';

const program = new Command('switchyard');
registerScanCommand(program);
await program.parseAsync(process.argv);
