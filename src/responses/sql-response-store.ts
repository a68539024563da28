import type { ResponseStore, StoredResponse } from './response-store.js';
import { toNumber, type SqlExecutor } from '../storage/sql-executor.js';

interface Row {
  id: string;
  principal_id: string;
  created_at: unknown;
  expires_at: unknown;
  data_class: string;
  content: string | null;
  not_stored_reason: string | null;
}

function toRecord(row: Row): StoredResponse {
  return {
    id: row.id,
    principalId: row.principal_id,
    createdAt: toNumber(row.created_at),
    expiresAt: toNumber(row.expires_at),
    dataClass: row.data_class,
    ...(row.content !== null ? { content: JSON.parse(row.content) as NonNullable<StoredResponse['content']> } : {}),
    ...(row.not_stored_reason !== null ? { notStoredReason: row.not_stored_reason } : {}),
  };
}

/** The response store on SQLite or PostgreSQL (table from response-migrations.ts). */
export function createSqlResponseStore(executor: SqlExecutor): ResponseStore {
  return {
    async save(record) {
      await executor.run(
        'INSERT INTO stored_responses (id, principal_id, created_at, expires_at, data_class, content, not_stored_reason) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [record.id, record.principalId, record.createdAt, record.expiresAt, record.dataClass, record.content ? JSON.stringify(record.content) : null, record.notStoredReason ?? null],
      );
    },
    async get(id, principalId, now) {
      // Scoped in the query itself: another principal's id reads exactly like a missing one.
      const [row] = await executor.all<Row & Record<string, unknown>>('SELECT * FROM stored_responses WHERE id = ? AND principal_id = ? AND expires_at > ?', [id, principalId, now]);
      return row ? toRecord(row) : undefined;
    },
    async delete(id, principalId) {
      const { changes } = await executor.run('DELETE FROM stored_responses WHERE id = ? AND principal_id = ?', [id, principalId]);
      return changes > 0;
    },
    async purgeExpired(now) {
      const { changes } = await executor.run('DELETE FROM stored_responses WHERE expires_at <= ?', [now]);
      return changes;
    },
  };
}
