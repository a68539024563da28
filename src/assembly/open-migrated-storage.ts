import { ALL_MIGRATIONS } from './all-migrations.js';
import type { Migration } from '../storage/migration.js';
import { openStorage, type OpenStorageOptions, type Storage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';

/** Opens storage and brings its schema up to date: what startup and every CLI command do first. */
export async function openMigratedStorage(
  url: string,
  migrations: readonly (readonly Migration[])[] = ALL_MIGRATIONS,
  options: OpenStorageOptions = {},
): Promise<Storage> {
  const storage = await openStorage(url, options);
  try {
    await runMigrations(storage.executor, migrations);
  } catch (error) {
    await storage.close();
    throw error;
  }
  return storage;
}
