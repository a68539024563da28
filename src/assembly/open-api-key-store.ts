import { identityMigrations } from '../identity/api-key-migrations.js';
import type { ApiKeyStore } from '../identity/api-key-store.js';
import { apiKeyStoreFor } from '../identity/open-api-key-store.js';
import { ALL_MIGRATIONS } from './all-migrations.js';
import { openMigratedStorage } from './open-migrated-storage.js';

export interface OpenedApiKeyStore {
  store: ApiKeyStore;
  close(): Promise<void>;
}

/**
 * Opens and migrates the storage behind `url` (sqlite:<path> or postgres://…), for the CLI.
 * Lives in the assembly because it runs every room's migrations, not only identity's.
 */
export async function openApiKeyStore(url: string): Promise<OpenedApiKeyStore> {
  // Identity's migrations are part of ALL_MIGRATIONS; added here only if a build lacks them.
  const migrations = ALL_MIGRATIONS.includes(identityMigrations) ? ALL_MIGRATIONS : [...ALL_MIGRATIONS, identityMigrations];
  const storage = await openMigratedStorage(url, migrations);
  return { store: apiKeyStoreFor(storage), close: () => storage.close() };
}
