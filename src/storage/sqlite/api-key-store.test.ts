import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKeyHasher } from '../../identity/api-key-hasher.js';
import { createApiKeyService } from '../../identity/api-key-service.js';
import { runApiKeyStoreConformance } from '../../../test/support/identity/api-key-store-conformance.js';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from './api-key-store.js';

describe('SQLite ApiKeyStore', () => {
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
