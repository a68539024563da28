import type { Database } from 'better-sqlite3';
import { identityMigrations } from '../../../src/identity/api-key-migrations.js';
import type { ApiKeyStore } from '../../../src/identity/api-key-store.js';
import { createSqlApiKeyStore } from '../../../src/identity/sql-api-key-store.js';
import { createSqliteExecutor } from '../../../src/storage/sqlite/sqlite-executor.js';

/**
 * Test helpers: the one SQL API-key store over an in-memory (or file) SQLite database, for
 * tests that want keys without opening a whole storage. Not imported by production code.
 */

/** Applies the identity migrations directly; idempotent (`IF NOT EXISTS`). */
export function ensureSqliteApiKeySchema(database: Database): void {
  for (const migration of identityMigrations) database.exec(migration.sqlite);
}

export function createSqliteApiKeyStore(database: Database): ApiKeyStore {
  return createSqlApiKeyStore(createSqliteExecutor(database));
}
