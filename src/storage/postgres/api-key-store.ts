import type { Sql } from 'postgres';
import { identityMigrations } from '../../identity/api-key-migrations.js';
import type { ApiKeyListFilter, ApiKeyRecord, ApiKeyRotation, ApiKeyStore } from '../../identity/api-key-store.js';

/** One row of `api_keys`; BIGINT arrives as a string from porsager/postgres, JSONB already parsed. */
interface ApiKeyRow {
  id: string;
  name: string | null;
  prefix: string;
  hash: string;
  previous_prefix: string | null;
  previous_hash: string | null;
  previous_expires_at: string | null;
  owner: string;
  team: string | null;
  department: string | null;
  roles: string[];
  models: string[] | null;
  tiers: string[] | null;
  tags: Record<string, string>;
  expires_at: string | null;
  disabled: boolean;
  revoked_at: string | null;
  budget_ref: string | null;
  rate_limit_ref: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

/** Applies the identity migrations directly; idempotent, for tests and the CLI before the runner lands. */
export async function ensurePostgresApiKeySchema(sql: Sql): Promise<void> {
  for (const migration of identityMigrations) await sql.unsafe(migration.postgres);
}

function fromRow(row: ApiKeyRow): ApiKeyRecord {
  const record: ApiKeyRecord = {
    id: row.id,
    prefix: row.prefix,
    hash: row.hash,
    owner: row.owner,
    roles: row.roles,
    tags: row.tags,
    disabled: row.disabled,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.name !== null) record.name = row.name;
  if (row.previous_prefix !== null) record.previousPrefix = row.previous_prefix;
  if (row.previous_hash !== null) record.previousHash = row.previous_hash;
  if (row.previous_expires_at !== null) record.previousExpiresAt = Number(row.previous_expires_at);
  if (row.team !== null) record.team = row.team;
  if (row.department !== null) record.department = row.department;
  if (row.models !== null) record.models = row.models;
  if (row.tiers !== null) record.tiers = row.tiers;
  if (row.expires_at !== null) record.expiresAt = Number(row.expires_at);
  if (row.revoked_at !== null) record.revokedAt = Number(row.revoked_at);
  if (row.budget_ref !== null) record.budgetRef = row.budget_ref;
  if (row.rate_limit_ref !== null) record.rateLimitRef = row.rate_limit_ref;
  if (row.created_by !== null) record.createdBy = row.created_by;
  return record;
}

/** PostgreSQL implementation over a porsager `postgres` client the caller owns (and closes). */
export function createPostgresApiKeyStore(sql: Sql): ApiKeyStore {
  // JSON values go through sql.json so they land as JSONB, not as a quoted string.
  const json = (value: unknown) => (value === undefined ? null : sql.json(value as Parameters<Sql['json']>[0]));
  return {
    async insert(record) {
      await sql`
        INSERT INTO api_keys (id, name, prefix, hash, owner, team, department, roles, models, tiers, tags,
          expires_at, disabled, revoked_at, budget_ref, rate_limit_ref, created_at, updated_at, created_by)
        VALUES (${record.id}, ${record.name ?? null}, ${record.prefix}, ${record.hash}, ${record.owner},
          ${record.team ?? null}, ${record.department ?? null}, ${json(record.roles)}, ${json(record.models)},
          ${json(record.tiers)}, ${json(record.tags)}, ${record.expiresAt ?? null}, ${record.disabled},
          ${record.revokedAt ?? null}, ${record.budgetRef ?? null}, ${record.rateLimitRef ?? null},
          ${record.createdAt}, ${record.updatedAt}, ${record.createdBy ?? null})`;
    },
    async get(id) {
      const rows = await sql<ApiKeyRow[]>`SELECT * FROM api_keys WHERE id = ${id}`;
      return rows[0] ? fromRow(rows[0]) : undefined;
    },
    async list(filter: ApiKeyListFilter = {}) {
      const rows = await sql<ApiKeyRow[]>`
        SELECT * FROM api_keys
        WHERE (${filter.owner ?? null}::text IS NULL OR owner = ${filter.owner ?? null})
          AND (${filter.team ?? null}::text IS NULL OR team = ${filter.team ?? null})
          AND (${filter.includeRevoked ?? false} OR revoked_at IS NULL)
        ORDER BY created_at, id`;
      return rows.map(fromRow);
    },
    async findByPrefix(prefix) {
      const rows = await sql<ApiKeyRow[]>`SELECT * FROM api_keys WHERE prefix = ${prefix} OR previous_prefix = ${prefix}`;
      return rows.map(fromRow);
    },
    async revoke(id, at) {
      const result = await sql`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ${at}), updated_at = ${at} WHERE id = ${id}`;
      return result.count > 0;
    },
    async setDisabled(id, disabled, at) {
      const result = await sql`UPDATE api_keys SET disabled = ${disabled}, updated_at = ${at} WHERE id = ${id}`;
      return result.count > 0;
    },
    async rotate(id, rotation: ApiKeyRotation) {
      const result = await sql`
        UPDATE api_keys SET prefix = ${rotation.prefix}, hash = ${rotation.hash},
          previous_prefix = ${rotation.previousPrefix}, previous_hash = ${rotation.previousHash},
          previous_expires_at = ${rotation.previousExpiresAt}, updated_at = ${rotation.at}
        WHERE id = ${id} AND revoked_at IS NULL`;
      return result.count > 0;
    },
  };
}
