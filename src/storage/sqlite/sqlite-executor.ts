import type Database from 'better-sqlite3';
import type { SqlExecutor, SqlRow, SqlValue } from '../sql-executor.js';

type Params = readonly SqlValue[];

function bind(params: Params | undefined): unknown[] {
  // better-sqlite3 has no boolean type; SQLite stores them as 0/1 anyway.
  return (params ?? []).map((value) => (typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

/** Statements without the lock: used inside a transaction that already holds it. */
function direct(database: Database.Database): SqlExecutor {
  // Stores issue the same few statements on every request; compiling each once saves the parse.
  const statements = new Map<string, Database.Statement>();
  const prepared = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (!statement) {
      // Batch inserts and filtered queries vary their text; a bound keeps the cache from growing.
      if (statements.size >= 512) statements.clear();
      statement = database.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const executor: SqlExecutor = {
    dialect: 'sqlite',
    async all<T extends SqlRow>(sql: string, params?: Params) {
      return prepared(sql).all(...bind(params)) as T[];
    },
    async run(sql: string, params?: Params) {
      return { changes: prepared(sql).run(...bind(params)).changes };
    },
    async exec(sql: string) {
      database.exec(sql);
    },
    async transaction<T>(work: (transaction: SqlExecutor) => Promise<T>) {
      return work(executor);
    },
  };
  return executor;
}

/**
 * better-sqlite3 is synchronous and has one connection, but stores are async: while one
 * caller's transaction awaits, another caller's statement would silently join it. Every
 * operation therefore queues behind a single in-process lock.
 */
export function createSqliteExecutor(database: Database.Database): SqlExecutor {
  const inner = direct(database);
  let tail: Promise<unknown> = Promise.resolve();

  function locked<T>(operation: () => Promise<T>): Promise<T> {
    const result = tail.then(operation);
    tail = result.catch(() => undefined);
    return result;
  }

  return {
    dialect: 'sqlite',
    all: (sql, params) => locked(() => inner.all(sql, params)),
    run: (sql, params) => locked(() => inner.run(sql, params)),
    exec: (sql) => locked(() => inner.exec(sql)),
    transaction: (work) =>
      locked(async () => {
        database.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inner);
          database.exec('COMMIT');
          return result;
        } catch (error) {
          if (database.inTransaction) database.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}
