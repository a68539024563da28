import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import type { Storage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';
import { createSqlResponseStore } from './sql-response-store.js';
import { postgresAvailability, postgresTarget, sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import type { StoredResponse } from './response-store.js';

/** The response store on SQLite and on a real PostgreSQL: scoping, expiry, deletion, purge. */

const HOUR = 3_600_000;
const record = (id: string, principalId: string, createdAt: number, content = true): StoredResponse => ({
  id,
  principalId,
  createdAt,
  expiresAt: createdAt + HOUR,
  dataClass: 'internal',
  ...(content
    ? { content: { conversation: [{ role: 'user', content: [{ type: 'text', text: '王小明 0912-345-678' }] }], response: { id, object: 'response', output: [] } } }
    : { notStoredReason: "data class 'confidential' captures audit content as 'hash'" }),
});

function suite(name: string, makeTarget: () => Promise<StorageTarget>) {
  describe(`stored responses on ${name}`, () => {
    let target: StorageTarget;
    let storage: Storage;
    beforeAll(async () => {
      target = await makeTarget();
      storage = await target.open();
      await runMigrations(storage.executor, ALL_MIGRATIONS);
    });
    afterAll(async () => {
      await storage?.close();
      await target?.dispose();
    });

    it('returns a record only to its principal and only before it expires', async () => {
      const store = createSqlResponseStore(storage.executor);
      const t0 = 1_800_000_000_000;
      await store.save(record('resp_a', 'alice', t0));
      expect(await store.get('resp_a', 'alice', t0 + 1)).toEqual(record('resp_a', 'alice', t0));
      expect(await store.get('resp_a', 'bob', t0 + 1)).toBeUndefined();
      expect(await store.get('resp_a', 'alice', t0 + HOUR)).toBeUndefined();
    });

    it('keeps a record without content with the reason, and deletes only the owner’s', async () => {
      const store = createSqlResponseStore(storage.executor);
      const t0 = 1_800_000_000_000;
      await store.save(record('resp_b', 'alice', t0, false));
      expect(await store.get('resp_b', 'alice', t0)).toMatchObject({ notStoredReason: expect.stringContaining('hash') });
      expect((await store.get('resp_b', 'alice', t0))?.content).toBeUndefined();
      expect(await store.delete('resp_b', 'bob')).toBe(false);
      expect(await store.delete('resp_b', 'alice')).toBe(true);
      expect(await store.get('resp_b', 'alice', t0)).toBeUndefined();
    });

    it('purges what expired and nothing else', async () => {
      const store = createSqlResponseStore(storage.executor);
      const t0 = 1_900_000_000_000;
      await store.save(record('resp_old', 'carol', t0));
      await store.save(record('resp_new', 'carol', t0 + 2 * HOUR));
      expect(await store.purgeExpired(t0 + 2 * HOUR)).toBeGreaterThanOrEqual(1);
      const [old] = await storage.executor.all('SELECT id FROM stored_responses WHERE id = ?', ['resp_old']);
      expect(old).toBeUndefined();
      expect(await store.get('resp_new', 'carol', t0 + 2 * HOUR)).toBeDefined();
    });
  });
}

suite('SQLite', async () => sqliteTarget());
const postgres = await postgresAvailability();
describe.skipIf(!postgres.run)('PostgreSQL', () => suite('PostgreSQL', postgresTarget));
