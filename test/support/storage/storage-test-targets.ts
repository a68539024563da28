import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { openStorage, type Storage } from '../../../src/storage/open-storage.js';

/**
 * Test helpers: where the shared storage suite runs. SQLite in a temp file; PostgreSQL at
 * 127.0.0.1:5432 (override with SWITCHYARD_TEST_POSTGRES_URL), each run in its own schema
 * that is dropped afterwards. Not imported by production code.
 */
export const TEST_POSTGRES_URL = process.env.SWITCHYARD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface StorageTarget {
  name: 'sqlite' | 'postgres';
  /** A storage URL plus the schema to use, for child processes that open their own connection. */
  url: string;
  schema?: string;
  open(): Promise<Storage>;
  dispose(): Promise<void>;
}

let reachable: Promise<string | undefined> | undefined;

/** Undefined when PostgreSQL answers; otherwise why not. */
export function postgresUnavailableReason(): Promise<string | undefined> {
  reachable ??= (async () => {
    const sql = postgres(TEST_POSTGRES_URL, { max: 1, connect_timeout: 3, onnotice: () => undefined });
    try {
      await sql`select 1`;
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await sql.end({ timeout: 1 }).catch(() => undefined);
    }
  })();
  return reachable;
}

/**
 * Whether PostgreSQL tests run. Locally an unreachable server skips them with a visible
 * message; in CI (CI=true) it is a failure, because CI promises a real PostgreSQL.
 */
export async function postgresAvailability(): Promise<{ run: boolean; reason?: string }> {
  const reason = await postgresUnavailableReason();
  if (reason === undefined) return { run: true };
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${TEST_POSTGRES_URL} is required in CI: ${reason}`);
  console.warn(`\n  ⚠ SKIPPING PostgreSQL storage tests: ${TEST_POSTGRES_URL} unreachable (${reason})\n`);
  return { run: false, reason };
}

export function sqliteTarget(): StorageTarget {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-storage-'));
  const url = `sqlite:${join(directory, 'test.db')}`;
  return {
    name: 'sqlite',
    url,
    open: () => openStorage(url),
    async dispose() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

export async function postgresTarget(): Promise<StorageTarget> {
  const schema = `sy_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`CREATE SCHEMA "${schema}"`);
  return {
    name: 'postgres',
    url: TEST_POSTGRES_URL,
    schema,
    open: () => openStorage(TEST_POSTGRES_URL, { schema }),
    async dispose() {
      await admin.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.end({ timeout: 5 });
    },
  };
}
