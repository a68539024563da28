import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type Database from 'better-sqlite3';
import type { Sql } from 'postgres';
import { createSqliteExecutor } from './sqlite/sqlite-executor.js';
import type { SqlExecutor } from './sql-executor.js';
import { parseStorageUrl } from './storage-url.js';

/**
 * An open database. Rooms build their stores from `executor`; the raw handles are there for
 * stores that need a driver feature the executor does not expose (only one is set).
 */
export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  readonly executor: SqlExecutor;
  readonly sqlite?: Database.Database;
  readonly postgres?: Sql;
  close(): Promise<void>;
}

export interface OpenStorageOptions {
  /** PostgreSQL only: sets `search_path`, so tests (or tenants) can live in their own schema. */
  schema?: string;
  /** PostgreSQL pool size; default 10. */
  maxConnections?: number;
  /**
   * SQLite only. `process` (default): synchronous=NORMAL — in WAL mode a commit reaches the OS
   * before it returns, so it survives the process being killed, but is fsync'd only at
   * checkpoints. `power-loss`: synchronous=FULL — an fsync per commit, which survives a power
   * cut too and costs a disk flush on every commit (audit.durability, docs/audit-and-cost.md).
   */
  durability?: 'process' | 'power-loss';
}

/** Opens `sqlite:<path>` (WAL, created if missing) or `postgres://…`. Migrations are separate. */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  const location = parseStorageUrl(url);
  if (location.kind === 'sqlite') {
    if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
    const database = new BetterSqlite3(location.path);
    // A second process (CLI next to the gateway, a replica starting at the same moment) waits for
    // the write lock instead of failing. First: switching a new database to WAL takes that lock.
    database.pragma('busy_timeout = 5000');
    // WAL lets readers (verify, export, reports) run while the gateway writes.
    database.pragma('journal_mode = WAL');
    // NORMAL unless asked: WAL + NORMAL keeps every commit across a crash of this process; FULL
    // adds an fsync per commit for power loss (the c=1 latency of the gateway was mostly that).
    database.pragma(options.durability === 'power-loss' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    return {
      kind: 'sqlite',
      executor: createSqliteExecutor(database),
      sqlite: database,
      async close() {
        database.close();
      },
    };
  }
  // The PostgreSQL driver loads only for a postgres:// URL (memory of a SQLite gateway).
  const [{ default: postgres }, { createPostgresExecutor }] = await Promise.all([import('postgres'), import('./postgres/postgres-executor.js')]);
  const sql = postgres(location.url, {
    max: options.maxConnections ?? 10,
    onnotice: () => undefined,
    ...(options.schema ? { connection: { search_path: options.schema } } : {}),
  });
  // Fail at start with a clear error rather than on the first request.
  await sql`select 1`;
  return {
    kind: 'postgres',
    executor: createPostgresExecutor(sql),
    postgres: sql,
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
