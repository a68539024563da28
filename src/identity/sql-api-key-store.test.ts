import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import postgres, { type Sql } from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createApiKeyHasher } from './api-key-hasher.js';
import { createApiKeyService } from './api-key-service.js';
import { identityMigrations } from './api-key-migrations.js';
import { createSqlApiKeyStore } from './sql-api-key-store.js';
import { createPostgresExecutor } from '../storage/postgres/postgres-executor.js';
import { runApiKeyStoreConformance } from '../../test/support/identity/api-key-store-conformance.js';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from '../../test/support/identity/sqlite-api-key-store.js';

describe('SQLite ApiKeyStore (one SQL store)', () => {
  runApiKeyStoreConformance(async () => {
    const database = new Database(':memory:');
    ensureSqliteApiKeySchema(database);
    return createSqliteApiKeyStore(database);
  });

  const directory = mkdtempSync(join(tmpdir(), 'sy-keys-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('never writes the clear key (or its secret part) into the database files', async () => {
    const path = join(directory, 'keys.db');
    const database = new Database(path);
    database.pragma('journal_mode = WAL');
    ensureSqliteApiKeySchema(database);
    ensureSqliteApiKeySchema(database); // idempotent
    const service = createApiKeyService({ store: createSqliteApiKeyStore(database), hasher: createApiKeyHasher('x'.repeat(40)) });
    const issued = [];
    for (let index = 0; index < 3; index += 1) issued.push((await service.create({ owner: `user${index}`, roles: [], tags: {} })).key);
    const first = await service.list();
    const rotated = await service.rotate(first[0]?.id ?? '');
    if (rotated) issued.push(rotated.key);
    expect((await service.verify(issued[1] ?? '')).ok).toBe(true);

    // Read WAL and main file before checkpointing, then again after close.
    const dump = () =>
      readdirSync(directory)
        .filter((name) => name.startsWith('keys.db'))
        .map((name) => readFileSync(join(directory, name)).toString('latin1'))
        .join('\n');
    const beforeClose = dump();
    database.close();
    const afterClose = dump();
    expect(afterClose).toContain(first[0]?.prefix); // the display prefix is stored on purpose
    for (const key of issued) {
      const secretPart = key.slice(9);
      for (const text of [beforeClose, afterClose]) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(secretPart);
        expect(text).not.toContain(Buffer.from(key).toString('hex'));
      }
    }
  });
});

/**
 * The same store against the real server at 127.0.0.1:5432 (trust auth, database `test`) in a
 * schema of its own. Locally an unreachable server skips with a notice; under CI=true it fails.
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
    for (const migration of identityMigrations) await sql.unsafe(migration.postgres);
    for (const migration of identityMigrations) await sql.unsafe(migration.postgres); // idempotent
  });

  afterAll(async () => {
    await sql?.end({ timeout: 5 });
    await admin?.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end({ timeout: 5 });
  });

  runApiKeyStoreConformance(async () => {
    await sql`TRUNCATE api_keys`;
    return createSqlApiKeyStore(createPostgresExecutor(sql));
  });

  it('keeps list-valued metadata as JSONB, not as quoted strings', async () => {
    const store = createSqlApiKeyStore(createPostgresExecutor(sql));
    await store.insert({
      id: 'key_jsonb', prefix: 'sy-abcdef', hash: 'ab'.repeat(32), owner: 'o', roles: ['r1'], models: ['m'], tags: { a: 'b' },
      disabled: false, createdAt: 1, updatedAt: 1,
    });
    const [row] = await sql<{ kind: string; models: string; tags: string }[]>`
      SELECT jsonb_typeof(roles) AS kind, jsonb_typeof(models) AS models, jsonb_typeof(tags) AS tags FROM api_keys WHERE id = 'key_jsonb'`;
    expect(row).toEqual({ kind: 'array', models: 'array', tags: 'object' });
  });
});
