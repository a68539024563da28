import type { SqlExecutor, SqlRow, SqlValue } from '../storage/sql-executor.js';
import { toNumber } from '../storage/sql-executor.js';
import type { ApiKeyListFilter, ApiKeyRecord, ApiKeyRotation, ApiKeyStore } from './api-key-store.js';

/**
 * The virtual key store, written once against the shared SQL executor (SQLite and PostgreSQL).
 * The two databases differ only in how list-valued metadata is kept — TEXT holding JSON on
 * SQLite, JSONB on PostgreSQL (so it can be queried there) — and in how BIGINT and BOOLEAN come
 * back; both are handled at this edge, so the contract's records are identical on either.
 */

const COLUMNS =
  'id, name, prefix, hash, owner, team, department, roles, models, tiers, tags, expires_at, disabled, revoked_at, budget_ref, rate_limit_ref, created_at, updated_at, created_by';

/** PostgreSQL returns JSONB already parsed; SQLite returns the JSON text. */
function readJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const isPresent = (value: unknown): boolean => value !== null && value !== undefined;

function fromRow(row: SqlRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: String(row.id),
    prefix: String(row.prefix),
    hash: String(row.hash),
    owner: String(row.owner),
    roles: readJson<string[]>(row.roles),
    tags: readJson<Record<string, string>>(row.tags),
    // BOOLEAN on PostgreSQL, 0/1 on SQLite.
    disabled: row.disabled === true || row.disabled === 1,
    createdAt: toNumber(row.created_at),
    updatedAt: toNumber(row.updated_at),
  };
  if (isPresent(row.name)) record.name = String(row.name);
  if (isPresent(row.previous_prefix)) record.previousPrefix = String(row.previous_prefix);
  if (isPresent(row.previous_hash)) record.previousHash = String(row.previous_hash);
  if (isPresent(row.previous_expires_at)) record.previousExpiresAt = toNumber(row.previous_expires_at);
  if (isPresent(row.team)) record.team = String(row.team);
  if (isPresent(row.department)) record.department = String(row.department);
  if (isPresent(row.models)) record.models = readJson<string[]>(row.models);
  if (isPresent(row.tiers)) record.tiers = readJson<string[]>(row.tiers);
  if (isPresent(row.expires_at)) record.expiresAt = toNumber(row.expires_at);
  if (isPresent(row.revoked_at)) record.revokedAt = toNumber(row.revoked_at);
  if (isPresent(row.budget_ref)) record.budgetRef = String(row.budget_ref);
  if (isPresent(row.rate_limit_ref)) record.rateLimitRef = String(row.rate_limit_ref);
  if (isPresent(row.created_by)) record.createdBy = String(row.created_by);
  return record;
}

const jsonOrNull = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** The `api_keys` table (identity migrations, 0300–0399) over any SQL executor. */
export function createSqlApiKeyStore(executor: SqlExecutor): ApiKeyStore {
  // A JSON parameter must land as JSONB on PostgreSQL, not as a quoted string: bound as text
  // (a parameter typed jsonb would be JSON-encoded once more by the driver), then parsed by the
  // server. SQLite keeps the text.
  const json = executor.dialect === 'postgres' ? 'CAST(CAST(? AS text) AS jsonb)' : '?';
  const insert = `INSERT INTO api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ${json}, ${json}, ${json}, ${json}, ?, ?, ?, ?, ?, ?, ?, ?)`;

  return {
    async insert(record) {
      const values: SqlValue[] = [
        record.id,
        record.name ?? null,
        record.prefix,
        record.hash,
        record.owner,
        record.team ?? null,
        record.department ?? null,
        JSON.stringify(record.roles),
        jsonOrNull(record.models),
        jsonOrNull(record.tiers),
        JSON.stringify(record.tags),
        record.expiresAt ?? null,
        record.disabled,
        record.revokedAt ?? null,
        record.budgetRef ?? null,
        record.rateLimitRef ?? null,
        record.createdAt,
        record.updatedAt,
        record.createdBy ?? null,
      ];
      await executor.run(insert, values);
    },
    async get(id) {
      const [row] = await executor.all('SELECT * FROM api_keys WHERE id = ?', [id]);
      return row ? fromRow(row) : undefined;
    },
    async list(filter: ApiKeyListFilter = {}) {
      const clauses: string[] = [];
      const parameters: string[] = [];
      if (filter.owner !== undefined) {
        clauses.push('owner = ?');
        parameters.push(filter.owner);
      }
      if (filter.team !== undefined) {
        clauses.push('team = ?');
        parameters.push(filter.team);
      }
      if (!filter.includeRevoked) clauses.push('revoked_at IS NULL');
      const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
      const rows = await executor.all(`SELECT * FROM api_keys ${where} ORDER BY created_at, id`, parameters);
      return rows.map(fromRow);
    },
    async findByPrefix(prefix) {
      const rows = await executor.all('SELECT * FROM api_keys WHERE prefix = ? OR previous_prefix = ?', [prefix, prefix]);
      return rows.map(fromRow);
    },
    async revoke(id, at) {
      const result = await executor.run('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ?', [at, at, id]);
      return result.changes > 0;
    },
    async setDisabled(id, disabled, at) {
      const result = await executor.run('UPDATE api_keys SET disabled = ?, updated_at = ? WHERE id = ?', [disabled, at, id]);
      return result.changes > 0;
    },
    async rotate(id, rotation: ApiKeyRotation) {
      const result = await executor.run(
        `UPDATE api_keys SET prefix = ?, hash = ?, previous_prefix = ?, previous_hash = ?, previous_expires_at = ?, updated_at = ?
         WHERE id = ? AND revoked_at IS NULL`,
        [rotation.prefix, rotation.hash, rotation.previousPrefix, rotation.previousHash, rotation.previousExpiresAt, rotation.at, id],
      );
      return result.changes > 0;
    },
  };
}
