import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { createPostgresApiKeyStore, ensurePostgresApiKeySchema } from '../storage/postgres/api-key-store.js';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from '../storage/sqlite/api-key-store.js';
import type { ApiKeyStore } from './api-key-store.js';

export interface OpenedApiKeyStore {
  store: ApiKeyStore;
  close(): Promise<void>;
}

export const DEFAULT_STORAGE_URL = 'sqlite:./data/switchyard.db';

/**
 * Opens the key store behind a storage URL (`sqlite:./file.db`, `sqlite:///abs/file.db`,
 * `postgres://…`) and ensures its schema. For the CLI; the gateway itself gets its handles
 * from the shared storage layer.
 */
export async function openApiKeyStore(url: string): Promise<OpenedApiKeyStore> {
  if (url.startsWith('sqlite:')) {
    const rest = url.slice('sqlite:'.length);
    const path = rest === ':memory:' ? rest : resolve(rest.startsWith('//') ? rest.slice(2) : rest);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new Database(path);
    database.pragma('journal_mode = WAL');
    // Another process (the gateway) may hold the write lock briefly.
    database.pragma('busy_timeout = 5000');
    ensureSqliteApiKeySchema(database);
    return {
      store: createSqliteApiKeyStore(database),
      close: async () => {
        database.close();
      },
    };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const sql = postgres(url, { max: 2, onnotice: () => {} });
    try {
      await ensurePostgresApiKeySchema(sql);
    } catch (error) {
      await sql.end({ timeout: 1 });
      throw error;
    }
    return { store: createPostgresApiKeyStore(sql), close: () => sql.end({ timeout: 5 }) };
  }
  throw new Error(`unsupported storage URL '${url.split(':')[0]}:…'; use sqlite:<path> or postgres://…`);
}
