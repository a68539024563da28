/**
 * The one test entry for spawned-CLI tests: `node --import tsx test/support/cli.ts <command> …`.
 * It registers only the command named first (loading one command, not the whole CLI with the
 * gateway behind it, keeps the many spawns of the CLI suites cheap), then behaves like
 * src/cli/index.ts: commander's exit codes, one `switchyard: …` line for anything else.
 * Tests reach it through `CLI_ENTRY` (cli-entry.ts).
 */
import { Command, CommanderError } from 'commander';

type Register = (program: Command) => void;

/** Command name → how to register it; `import()` so a run loads only its own command. */
const COMMANDS: Record<string, () => Promise<Register[]>> = {
  advise: async () => [(await import('../../src/cli/advise.js')).registerAdviseCommand],
  // audit, spend and migrate share a storage flag set; their tests use them together.
  audit: async () => [(await import('../../src/cli/audit.js')).registerAuditCommand],
  spend: async () => [(await import('../../src/cli/spend.js')).registerSpendCommand],
  migrate: async () => [(await import('../../src/cli/migrate.js')).registerMigrateCommand],
  keys: async () => [(await import('../../src/cli/keys.js')).registerKeysCommand],
  scan: async () => [(await import('../../src/cli/scan.js')).registerScanCommand],
  'mock-upstream': async () => [(await import('../../src/cli/mock-upstream.js')).registerMockUpstreamCommand],
};

const name = process.argv[2] ?? '';
const load = COMMANDS[name];
if (!load) {
  process.stderr.write(`test/support/cli.ts: unknown command '${name}'; known: ${Object.keys(COMMANDS).join(', ')}\n`);
  process.exit(2);
}
const program = new Command().name('switchyard').exitOverride();
for (const register of await load()) register(program);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exitCode = error.exitCode;
  else {
    process.stderr.write(`switchyard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
