import type { AuditRecord } from './audit-record.js';
import type { AuditPage, AuditQuery, AuditStore } from './audit-store.js';
import { INDEX_COLUMN_NAMES, indexColumnsOf, type AuditIndexColumns } from './audit-index-columns.js';
import { canonicalBodyOf, GENESIS_HEAD, type AuditCheckpoint, type ChainHead } from './hash-chain.js';
import type { StoredAuditRow } from './verify-chain.js';
import { toNumber, type SqlExecutor, type SqlValue } from '../storage/sql-executor.js';

interface RecordRow {
  seq: unknown;
  id: string;
  body: string;
  hash: string;
  time: string;
  [column: string]: unknown;
}

const FILTER_COLUMNS: Record<Exclude<keyof AuditQuery, 'from' | 'to'>, string> = {
  principal: 'principal_id',
  department: 'department',
  alias: 'alias',
  deployment: 'deployment',
  tier: 'tier',
  dataClass: 'data_class',
  status: 'status',
};

/** 13 parameters a row (seq, id, 9 index columns, body, hash); 50 rows stay far below both databases' parameter limits. */
const INSERT_CHUNK = 50;

function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ seq }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { seq?: unknown };
    if (typeof parsed.seq === 'number' && Number.isInteger(parsed.seq)) return parsed.seq;
  } catch {
    // fall through to the error below
  }
  throw new Error('invalid audit cursor');
}

function toRecord(row: RecordRow): AuditRecord {
  return { ...(JSON.parse(row.body) as Omit<AuditRecord, 'hash'>), hash: row.hash };
}

function toCheckpoint(row: Record<string, unknown>): AuditCheckpoint {
  return {
    seq: toNumber(row.seq),
    kind: row.kind === 'retention' ? 'retention' : 'periodic',
    recordId: String(row.record_id),
    recordHash: String(row.record_hash),
    time: String(row.time),
    signature: String(row.signature),
  };
}

/** The audit store for both databases; only the chain lock differs. */
export function createSqlAuditStore(executor: SqlExecutor): AuditStore {
  async function head(transaction: SqlExecutor): Promise<ChainHead> {
    const [last] = await transaction.all<RecordRow>('SELECT seq, hash FROM audit_records ORDER BY seq DESC LIMIT 1');
    if (last) return { seq: toNumber(last.seq), hash: last.hash };
    // Everything was deleted by retention: continue from its anchor, not from genesis.
    const [anchor] = await transaction.all(
      `SELECT seq, record_hash FROM audit_checkpoints WHERE kind = 'retention' ORDER BY seq DESC LIMIT 1`,
    );
    return anchor ? { seq: toNumber(anchor.seq), hash: String(anchor.record_hash) } : GENESIS_HEAD;
  }

  const summary = (row: RecordRow | undefined) =>
    row ? { seq: toNumber(row.seq), id: row.id, hash: row.hash, time: row.time } : undefined;

  return {
    async append(seal) {
      return executor.transaction(async (transaction) => {
        // Replicas append to one chain; the lock makes read-head-then-insert atomic.
        if (transaction.dialect === 'postgres') {
          await transaction.all(`SELECT pg_advisory_xact_lock(hashtext('switchyard-audit-chain:' || current_schema()))`);
        }
        const records = seal(await head(transaction));
        // Multi-row INSERTs: a 200-record group commit is a handful of round trips, not 200.
        for (let start = 0; start < records.length; start += INSERT_CHUNK) {
          const chunk = records.slice(start, start + INSERT_CHUNK);
          await transaction.run(
            `INSERT INTO audit_records (seq, id, ${INDEX_COLUMN_NAMES.join(', ')}, body, hash)
             VALUES ${chunk.map(() => `(${Array.from({ length: INDEX_COLUMN_NAMES.length + 4 }, () => '?').join(', ')})`).join(', ')}`,
            chunk.flatMap((record) => {
              const columns = indexColumnsOf(record);
              return [record.seq, record.id, ...INDEX_COLUMN_NAMES.map((name) => columns[name]), canonicalBodyOf(record), record.hash];
            }),
          );
        }
        return records;
      });
    },

    async existingIds(ids) {
      const found = new Set<string>();
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const rows = await executor.all<{ id: string }>(
          `SELECT id FROM audit_records WHERE id IN (${chunk.map(() => '?').join(', ')})`,
          chunk,
        );
        for (const row of rows) found.add(row.id);
      }
      return found;
    },

    async readRows(afterSeq, limit, throughSeq) {
      const rows = await executor.all<RecordRow>(
        `SELECT seq, id, ${INDEX_COLUMN_NAMES.join(', ')}, body, hash FROM audit_records WHERE seq > ?${throughSeq === undefined ? '' : ' AND seq <= ?'} ORDER BY seq LIMIT ?`,
        throughSeq === undefined ? [afterSeq, limit] : [afterSeq, throughSeq, limit],
      );
      return rows.map(
        (row): StoredAuditRow => ({
          seq: toNumber(row.seq),
          id: row.id,
          body: row.body,
          hash: row.hash,
          columns: Object.fromEntries(INDEX_COLUMN_NAMES.map((name) => [name, row[name] ?? null])) as unknown as AuditIndexColumns,
        }),
      );
    },

    async query(filters, limit, cursor) {
      const clauses: string[] = [];
      const params: SqlValue[] = [];
      if (filters.from) (clauses.push('time >= ?'), params.push(filters.from));
      if (filters.to) (clauses.push('time <= ?'), params.push(filters.to));
      for (const [key, column] of Object.entries(FILTER_COLUMNS) as [keyof typeof FILTER_COLUMNS, string][]) {
        const value = filters[key];
        if (value !== undefined) (clauses.push(`${column} = ?`), params.push(value));
      }
      if (cursor !== undefined) (clauses.push('seq < ?'), params.push(decodeCursor(cursor)));
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
      // One extra row tells whether another page exists without a COUNT.
      const rows = await executor.all<RecordRow>(`SELECT seq, body, hash FROM audit_records ${where} ORDER BY seq DESC LIMIT ?`, [
        ...params,
        limit + 1,
      ]);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const result: AuditPage = { records: page.map(toRecord) };
      if (rows.length > limit && last) result.nextCursor = encodeCursor(toNumber(last.seq));
      return result;
    },

    async lastRecord() {
      return summary((await executor.all<RecordRow>('SELECT seq, id, hash, time FROM audit_records ORDER BY seq DESC LIMIT 1'))[0]);
    },

    async recordAt(seq) {
      return summary((await executor.all<RecordRow>('SELECT seq, id, hash, time FROM audit_records WHERE seq = ?', [seq]))[0]);
    },

    async seqBounds(range) {
      const bounds: { first?: number; last?: number } = {};
      if (range.from !== undefined) {
        const [row] = await executor.all('SELECT MIN(seq) AS seq FROM audit_records WHERE time >= ?', [range.from]);
        if (row?.seq !== null && row?.seq !== undefined) bounds.first = toNumber(row.seq);
      }
      if (range.to !== undefined) {
        const [row] = await executor.all('SELECT MAX(seq) AS seq FROM audit_records WHERE time <= ?', [range.to]);
        if (row?.seq !== null && row?.seq !== undefined) bounds.last = toNumber(row.seq);
      }
      return bounds;
    },

    async checkpoints() {
      return (await executor.all('SELECT * FROM audit_checkpoints ORDER BY seq')).map(toCheckpoint);
    },

    async addCheckpoint(checkpoint) {
      await executor.run(
        `INSERT INTO audit_checkpoints (seq, kind, record_id, record_hash, time, signature) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (seq, kind) DO NOTHING`,
        [checkpoint.seq, checkpoint.kind, checkpoint.recordId, checkpoint.recordHash, checkpoint.time, checkpoint.signature],
      );
    },

    async deleteThrough(seq, anchor) {
      return executor.transaction(async (transaction) => {
        await transaction.run(
          `INSERT INTO audit_checkpoints (seq, kind, record_id, record_hash, time, signature) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (seq, kind) DO NOTHING`,
          [anchor.seq, anchor.kind, anchor.recordId, anchor.recordHash, anchor.time, anchor.signature],
        );
        const { changes } = await transaction.run('DELETE FROM audit_records WHERE seq <= ?', [seq]);
        await transaction.run('DELETE FROM audit_checkpoints WHERE seq < ?', [seq]);
        return changes;
      });
    },
  };
}
