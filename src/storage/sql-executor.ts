/**
 * The one seam between the rooms' SQL and the two databases. Stores are written once against
 * this interface; the dialect is visible so a store can pick the rare statement that differs.
 * Placeholders are always `?`; the PostgreSQL executor rewrites them to `$1…$n`.
 */
export type SqlDialect = 'sqlite' | 'postgres';

export type SqlValue = string | number | bigint | boolean | null;

export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: SqlDialect;
  /** Rows of a query (also `INSERT … RETURNING`). */
  all<T extends SqlRow = SqlRow>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** A statement without rows; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * On SQLite this is `BEGIN IMMEDIATE` (the write lock is taken up front, so two processes
   * serialise instead of failing at commit); on PostgreSQL it is a pooled connection's BEGIN.
   */
  transaction<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T>;
}

/** Numbers come back as strings from PostgreSQL BIGINT/NUMERIC; this reads either. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value !== '') return Number(value);
  return 0;
}
