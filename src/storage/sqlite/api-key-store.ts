import type { Database } from 'better-sqlite3';
import { identityMigrations } from '../../identity/api-key-migrations.js';
import type { ApiKeyListFilter, ApiKeyRecord, ApiKeyRotation, ApiKeyStore } from '../../identity/api-key-store.js';

/** One row of `api_keys` as better-sqlite3 returns it. */
interface ApiKeyRow {
  id: string;
  name: string | null;
  prefix: string;
  hash: string;
  previous_prefix: string | null;
  previous_hash: string | null;
  previous_expires_at: number | null;
  owner: string;
  team: string | null;
  department: string | null;
  roles: string;
  models: string | null;
  tiers: string | null;
  tags: string;
  expires_at: number | null;
  disabled: number;
  revoked_at: number | null;
  budget_ref: string | null;
  rate_limit_ref: string | null;
  created_at: number;
  updated_at: number;
  created_by: string | null;
}

/** Applies the identity migrations directly; idempotent, for tests and the CLI before the runner lands. */
export function ensureSqliteApiKeySchema(database: Database): void {
  for (const migration of identityMigrations) database.exec(migration.sqlite);
}

function fromRow(row: ApiKeyRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: row.id,
    prefix: row.prefix,
    hash: row.hash,
    owner: row.owner,
    roles: JSON.parse(row.roles) as string[],
    tags: JSON.parse(row.tags) as Record<string, string>,
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.name !== null) record.name = row.name;
  if (row.previous_prefix !== null) record.previousPrefix = row.previous_prefix;
  if (row.previous_hash !== null) record.previousHash = row.previous_hash;
  if (row.previous_expires_at !== null) record.previousExpiresAt = row.previous_expires_at;
  if (row.team !== null) record.team = row.team;
  if (row.department !== null) record.department = row.department;
  if (row.models !== null) record.models = JSON.parse(row.models) as string[];
  if (row.tiers !== null) record.tiers = JSON.parse(row.tiers) as string[];
  if (row.expires_at !== null) record.expiresAt = row.expires_at;
  if (row.revoked_at !== null) record.revokedAt = row.revoked_at;
  if (row.budget_ref !== null) record.budgetRef = row.budget_ref;
  if (row.rate_limit_ref !== null) record.rateLimitRef = row.rate_limit_ref;
  if (row.created_by !== null) record.createdBy = row.created_by;
  return record;
}

const jsonOrNull = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** SQLite implementation; better-sqlite3 is synchronous, the contract async for PostgreSQL's sake. */
export function createSqliteApiKeyStore(database: Database): ApiKeyStore {
  const insert = database.prepare(`
    INSERT INTO api_keys (id, name, prefix, hash, owner, team, department, roles, models, tiers, tags,
      expires_at, disabled, revoked_at, budget_ref, rate_limit_ref, created_at, updated_at, created_by)
    VALUES (@id, @name, @prefix, @hash, @owner, @team, @department, @roles, @models, @tiers, @tags,
      @expires_at, @disabled, @revoked_at, @budget_ref, @rate_limit_ref, @created_at, @updated_at, @created_by)`);
  const byId = database.prepare<[string], ApiKeyRow>('SELECT * FROM api_keys WHERE id = ?');
  const byPrefix = database.prepare<[string, string], ApiKeyRow>(
    'SELECT * FROM api_keys WHERE prefix = ? OR previous_prefix = ?',
  );
  const revoke = database.prepare('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?), updated_at = ? WHERE id = ?');
  const setDisabled = database.prepare('UPDATE api_keys SET disabled = ?, updated_at = ? WHERE id = ?');
  const rotate = database.prepare(`
    UPDATE api_keys SET prefix = @prefix, hash = @hash, previous_prefix = @previous_prefix,
      previous_hash = @previous_hash, previous_expires_at = @previous_expires_at, updated_at = @at
    WHERE id = @id AND revoked_at IS NULL`);

  return {
    async insert(record) {
      insert.run({
        id: record.id,
        name: record.name ?? null,
        prefix: record.prefix,
        hash: record.hash,
        owner: record.owner,
        team: record.team ?? null,
        department: record.department ?? null,
        roles: JSON.stringify(record.roles),
        models: jsonOrNull(record.models),
        tiers: jsonOrNull(record.tiers),
        tags: JSON.stringify(record.tags),
        expires_at: record.expiresAt ?? null,
        disabled: record.disabled ? 1 : 0,
        revoked_at: record.revokedAt ?? null,
        budget_ref: record.budgetRef ?? null,
        rate_limit_ref: record.rateLimitRef ?? null,
        created_at: record.createdAt,
        updated_at: record.updatedAt,
        created_by: record.createdBy ?? null,
      });
    },
    async get(id) {
      const row = byId.get(id);
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
      const rows = database.prepare<string[], ApiKeyRow>(`SELECT * FROM api_keys ${where} ORDER BY created_at, id`).all(...parameters);
      return rows.map(fromRow);
    },
    async findByPrefix(prefix) {
      return byPrefix.all(prefix, prefix).map(fromRow);
    },
    async revoke(id, at) {
      return revoke.run(at, at, id).changes > 0;
    },
    async setDisabled(id, disabled, at) {
      return setDisabled.run(disabled ? 1 : 0, at, id).changes > 0;
    },
    async rotate(id, rotation: ApiKeyRotation) {
      const result = rotate.run({
        id,
        prefix: rotation.prefix,
        hash: rotation.hash,
        previous_prefix: rotation.previousPrefix,
        previous_hash: rotation.previousHash,
        previous_expires_at: rotation.previousExpiresAt,
        at: rotation.at,
      });
      return result.changes > 0;
    },
  };
}
