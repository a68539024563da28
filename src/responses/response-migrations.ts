import type { Migration } from '../storage/migration.js';

/**
 * Stored Responses API responses use ids 0500–0599. `content` is JSON text (conversation and
 * response object), NULL when the policy did not allow keeping it; `expires_at` is indexed for
 * the retention purge.
 */
const table = (bigint: string) => `
  CREATE TABLE IF NOT EXISTS stored_responses (id TEXT PRIMARY KEY, principal_id TEXT NOT NULL, created_at ${bigint} NOT NULL,
    expires_at ${bigint} NOT NULL, data_class TEXT NOT NULL, content TEXT, not_stored_reason TEXT);
  CREATE INDEX IF NOT EXISTS stored_responses_expires ON stored_responses (expires_at);`;

export const responseMigrations: Migration[] = [{ id: '0500-stored-responses', sqlite: table('INTEGER'), postgres: table('BIGINT') }];
