import type { Storage } from '../storage/open-storage.js';
import type { ApiKeyStore } from './api-key-store.js';
import { createSqlApiKeyStore } from './sql-api-key-store.js';

/** The virtual key store over an open storage handle (the gateway's, or one the CLI opened). */
export function apiKeyStoreFor(storage: Storage): ApiKeyStore {
  return createSqlApiKeyStore(storage.executor);
}
