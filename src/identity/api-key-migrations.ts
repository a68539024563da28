import type { Migration } from '../storage/migration.js';

/**
 * The identity room's schema (ids 0300–0399). Statements are idempotent (`IF NOT EXISTS`) so
 * the CLI can ensure the schema on a store the migration runner has not touched yet.
 * Times are epoch milliseconds; list-valued metadata is JSON.
 */
export const identityMigrations: Migration[] = [
  {
    id: '0300-api-keys',
    sqlite: `
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY,
        name TEXT,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        previous_prefix TEXT,
        previous_hash TEXT,
        previous_expires_at INTEGER,
        owner TEXT NOT NULL,
        team TEXT,
        department TEXT,
        roles TEXT NOT NULL DEFAULT '[]',
        models TEXT,
        tiers TEXT,
        tags TEXT NOT NULL DEFAULT '{}',
        expires_at INTEGER,
        disabled INTEGER NOT NULL DEFAULT 0,
        revoked_at INTEGER,
        budget_ref TEXT,
        rate_limit_ref TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        created_by TEXT
      );
      CREATE INDEX IF NOT EXISTS api_keys_prefix ON api_keys (prefix);
      CREATE INDEX IF NOT EXISTS api_keys_previous_prefix ON api_keys (previous_prefix);
      CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner);
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS api_keys (
        id TEXT PRIMARY KEY,
        name TEXT,
        prefix TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        previous_prefix TEXT,
        previous_hash TEXT,
        previous_expires_at BIGINT,
        owner TEXT NOT NULL,
        team TEXT,
        department TEXT,
        roles JSONB NOT NULL DEFAULT '[]'::jsonb,
        models JSONB,
        tiers JSONB,
        tags JSONB NOT NULL DEFAULT '{}'::jsonb,
        expires_at BIGINT,
        disabled BOOLEAN NOT NULL DEFAULT FALSE,
        revoked_at BIGINT,
        budget_ref TEXT,
        rate_limit_ref TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        created_by TEXT
      );
      CREATE INDEX IF NOT EXISTS api_keys_prefix ON api_keys (prefix);
      CREATE INDEX IF NOT EXISTS api_keys_previous_prefix ON api_keys (previous_prefix);
      CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner);
    `,
  },
];
