import type { Migration } from './migration.js';
import type { SqlExecutor } from './sql-executor.js';

/**
 * Every configuration the gateway has run, so an audit record's `configVersion` can be
 * resolved to the exact file later. Only the contract and tables exist so far; the config
 * reload issue fills them.
 */
export interface ConfigVersion {
  /** e.g. the SHA-256 of the file; what audit records carry as `configVersion`. */
  id: string;
  createdAt: string;
  author?: string;
  source: string;
}

export interface ConfigVersionStore {
  /** Idempotent: saving the same id twice keeps the first. */
  save(version: ConfigVersion): Promise<void>;
  get(id: string): Promise<ConfigVersion | undefined>;
  /** Newest first. */
  list(limit: number): Promise<ConfigVersion[]>;
}

/** Storage's own schema uses ids 0001–0099. */
export const configVersionMigrations: Migration[] = [
  {
    id: '0010-config-versions',
    sqlite: `CREATE TABLE IF NOT EXISTS config_versions (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, author TEXT, source TEXT NOT NULL);
             CREATE INDEX IF NOT EXISTS config_versions_created ON config_versions (created_at);`,
    postgres: `CREATE TABLE IF NOT EXISTS config_versions (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, author TEXT, source TEXT NOT NULL);
               CREATE INDEX IF NOT EXISTS config_versions_created ON config_versions (created_at);`,
  },
];

interface Row {
  id: string;
  created_at: string;
  author: string | null;
  source: string;
}

const toVersion = (row: Row): ConfigVersion => ({
  id: row.id,
  createdAt: row.created_at,
  source: row.source,
  ...(row.author === null ? {} : { author: row.author }),
});

export function createSqlConfigVersionStore(executor: SqlExecutor): ConfigVersionStore {
  return {
    async save(version) {
      await executor.run(
        'INSERT INTO config_versions (id, created_at, author, source) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
        [version.id, version.createdAt, version.author ?? null, version.source],
      );
    },
    async get(id) {
      const [row] = await executor.all<Row & Record<string, unknown>>('SELECT * FROM config_versions WHERE id = ?', [id]);
      return row ? toVersion(row) : undefined;
    },
    async list(limit) {
      const rows = await executor.all<Row & Record<string, unknown>>('SELECT * FROM config_versions ORDER BY created_at DESC LIMIT ?', [limit]);
      return rows.map(toVersion);
    },
  };
}
