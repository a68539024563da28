import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiKeyStoreConformance } from '../../../test/support/identity/api-key-store-conformance.js';
import { createPostgresApiKeyStore, ensurePostgresApiKeySchema } from './api-key-store.js';

/**
 * Runs against the real server at 127.0.0.1:5432 (trust auth, database `test`) in a schema of
 * its own. Locally an unreachable server skips with a notice; under CI=true it fails.
 */
const URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function reachable(): Promise<string | undefined> {
  const probe = postgres(URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await probe`SELECT 1`;
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await probe.end({ timeout: 1 });
  }
}

const unreachable = await reachable();
if (unreachable && process.env.CI !== 'true') {
  console.warn(`[skip] PostgreSQL ApiKeyStore tests: ${URL} unreachable (${unreachable})`);
}

describe.skipIf(unreachable !== undefined && process.env.CI !== 'true')('PostgreSQL ApiKeyStore', () => {
  const schema = `sy_keys_${randomBytes(6).toString('hex')}`;
  let admin: Sql;
  let sql: Sql;

  beforeAll(async () => {
    if (unreachable) throw new Error(`PostgreSQL at ${URL} is required under CI=true: ${unreachable}`);
    admin = postgres(URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    sql = postgres(URL, { max: 2, onnotice: () => {}, connection: { search_path: schema } });
    await ensurePostgresApiKeySchema(sql);
    await ensurePostgresApiKeySchema(sql); // idempotent
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await admin?.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end({ timeout: 5 });
  });

  runApiKeyStoreConformance(async () => {
    await sql`TRUNCATE api_keys`;
    return createPostgresApiKeyStore(sql);
  });

  it('keeps list-valued metadata as JSONB, not as quoted strings', async () => {
    const store = createPostgresApiKeyStore(sql);
    await store.insert({
      id: 'key_jsonb', prefix: 'sy-abcdef', hash: 'ab'.repeat(32), owner: 'o', roles: ['r1'], tags: { a: 'b' },
      disabled: false, createdAt: 1, updatedAt: 1,
    });
    const [row] = await sql<{ kind: string }[]>`SELECT jsonb_typeof(roles) AS kind FROM api_keys WHERE id = 'key_jsonb'`;
    expect(row?.kind).toBe('array');
  });
});
