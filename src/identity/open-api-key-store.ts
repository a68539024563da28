import { ALL_MIGRATIONS } from '../storage/all-migrations.js';
import { openMigratedStorage } from '../storage/open-migrated-storage.js';
import type { Storage } from '../storage/open-storage.js';
import { identityMigrations } from './api-key-migrations.js';
import type { ApiKeyStore } from './api-key-store.js';
import { createSqlApiKeyStore } from './sql-api-key-store.js';

export { DEFAULT_STORAGE_URL } from '../storage/storage-url.js';

/** The virtual key store over an open storage handle (the gateway's, or one the CLI opened). */
export function apiKeyStoreFor(storage: Storage): ApiKeyStore {
  return createSqlApiKeyStore(storage.executor);
}

export interface OpenedApiKeyStore {
  store: ApiKeyStore;
  close(): Promise<void>;
}

/** Opens and migrates the storage behind `url` (sqlite:<path> or postgres://…), for the CLI. */
export async function openApiKeyStore(url: string): Promise<OpenedApiKeyStore> {
  // Identity's migrations are part of ALL_MIGRATIONS; added here only if a build lacks them.
  const migrations = ALL_MIGRATIONS.includes(identityMigrations) ? ALL_MIGRATIONS : [...ALL_MIGRATIONS, identityMigrations];
  const storage = await openMigratedStorage(url, migrations);
  return { store: apiKeyStoreFor(storage), close: () => storage.close() };
}
