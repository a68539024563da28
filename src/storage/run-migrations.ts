import type { Migration } from './migration.js';
import type { SqlExecutor } from './sql-executor.js';

export interface MigrationResult {
  applied: string[];
  /** Ids recorded in the database that this build does not know (a newer build migrated it). */
  unknown: string[];
}

const ID_PATTERN = /^\d{4}-[a-z0-9-]+$/;

/** Merges every room's list, refusing duplicate or malformed ids, sorted by id. */
export function collectMigrations(lists: readonly (readonly Migration[])[]): Migration[] {
  const byId = new Map<string, Migration>();
  for (const migration of lists.flat()) {
    if (!ID_PATTERN.test(migration.id)) throw new Error(`migration id '${migration.id}' must look like 0100-some-name`);
    if (byId.has(migration.id)) throw new Error(`migration id '${migration.id}' is defined twice`);
    byId.set(migration.id, migration);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`;

/**
 * Applies every pending migration in id order and records it in `schema_migrations`.
 * The whole run is one transaction (both databases have transactional DDL), so a failing
 * migration leaves nothing half-applied. Two processes starting at once serialise: on
 * PostgreSQL through a transaction-scoped advisory lock keyed by the current schema, on
 * SQLite through `BEGIN IMMEDIATE`'s write lock. The second one then finds nothing to do.
 */
export async function runMigrations(
  executor: SqlExecutor,
  lists: readonly (readonly Migration[])[],
): Promise<MigrationResult> {
  const migrations = collectMigrations(lists);
  return executor.transaction(async (transaction) => {
    if (transaction.dialect === 'postgres') {
      await transaction.all(`SELECT pg_advisory_xact_lock(hashtext('switchyard-migrations:' || current_schema()))`);
    }
    await transaction.exec(CREATE_TABLE);
    const rows = await transaction.all<{ id: string }>('SELECT id FROM schema_migrations');
    const done = new Set(rows.map((row) => row.id));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await transaction.exec(transaction.dialect === 'postgres' ? migration.postgres : migration.sqlite);
      await transaction.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [
        migration.id,
        new Date().toISOString(),
      ]);
      applied.push(migration.id);
    }
    const known = new Set(migrations.map((migration) => migration.id));
    return { applied, unknown: [...done].filter((id) => !known.has(id)).sort() };
  });
}
