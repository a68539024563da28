import type { Command } from 'commander';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import type { Migration } from '../storage/migration.js';
import { openStorage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';
import { loadCliConfig, storageUrlFor, withConfigOption } from './cli-config.js';

/** `switchyard migrate`: applies pending schema migrations (the gateway also does at start). */
export function registerMigrateCommand(program: Command, migrations: readonly (readonly Migration[])[] = ALL_MIGRATIONS): void {
  withConfigOption(program.command('migrate'))
    .description('apply pending database migrations (creating the database if needed); safe to run while gateways start')
    .option('--storage <url>', "database, overriding the config's storage.url: sqlite:<path> or postgres://…")
    .action(async (options: { config?: string; storage?: string }) => {
      const storage = await openStorage(storageUrlFor(options.storage, loadCliConfig(options.config)));
      try {
        const result = await runMigrations(storage.executor, migrations);
        process.stdout.write(result.applied.length === 0 ? 'schema up to date\n' : `applied ${result.applied.join(', ')}\n`);
        if (result.unknown.length > 0) {
          // A newer build migrated this database; this build may not understand every table.
          process.stderr.write(`warning: database has migrations this build does not know: ${result.unknown.join(', ')}\n`);
        }
      } finally {
        await storage.close();
      }
    });
}
