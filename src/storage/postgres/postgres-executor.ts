import type { Sql, TransactionSql } from 'postgres';
import type { SqlExecutor, SqlRow, SqlValue } from '../sql-executor.js';

/** `?` → `$1…$n`, skipping quoted literals and identifiers. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  let quote: string | null = null;
  let out = '';
  for (const character of sql) {
    if (quote) {
      if (character === quote) quote = null;
    } else if (character === "'" || character === '"') {
      quote = character;
    } else if (character === '?') {
      index += 1;
      out += `$${index}`;
      continue;
    }
    out += character;
  }
  return out;
}

type Connection = Sql | TransactionSql;

function over(connection: Connection, begin: SqlExecutor['transaction']): SqlExecutor {
  const parameters = (params: readonly SqlValue[] | undefined) =>
    (params ?? []).map((value) => (typeof value === 'bigint' ? value.toString() : value)) as (string | number | boolean | null)[];
  return {
    dialect: 'postgres',
    async all<T extends SqlRow>(sql: string, params?: readonly SqlValue[]) {
      const rows = await connection.unsafe(toPostgresPlaceholders(sql), parameters(params));
      return [...rows] as unknown as T[];
    },
    async run(sql: string, params?: readonly SqlValue[]) {
      const result = await connection.unsafe(toPostgresPlaceholders(sql), parameters(params));
      return { changes: result.count };
    },
    async exec(sql: string) {
      // No parameters: the simple protocol, which accepts several statements at once.
      await connection.unsafe(sql);
    },
    transaction: begin,
  };
}

/** Statements go to the pool; a transaction pins one connection for its duration. */
export function createPostgresExecutor(sql: Sql): SqlExecutor {
  return over(sql, async <T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T> => {
    const result = await sql.begin(async (transaction) => {
      const inner: SqlExecutor = over(transaction, (nested) => nested(inner));
      return { value: await work(inner) };
    });
    return (result as { value: T }).value;
  });
}
