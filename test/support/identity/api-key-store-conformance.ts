import { beforeEach, describe, expect, it } from 'vitest';
import { createApiKeyHasher } from '../../../src/identity/api-key-hasher.js';
import { createApiKeyService, type ApiKeyService } from '../../../src/identity/api-key-service.js';
import type { ApiKeyStore } from '../../../src/identity/api-key-store.js';

/**
 * Behaviour every ApiKeyStore must show, run through the service so the tests speak in terms
 * of keys that work or not. `freshStore` returns an empty store for each test.
 */
export function runApiKeyStoreConformance(freshStore: () => Promise<ApiKeyStore>): void {
  const HOUR = 3_600_000;
  let clock = Date.UTC(2026, 0, 1);
  let store: ApiKeyStore;
  let service: ApiKeyService;

  beforeEach(async () => {
    clock = Date.UTC(2026, 0, 1);
    store = await freshStore();
    // No cache: every verify must go to the store under test.
    service = createApiKeyService({ store, hasher: createApiKeyHasher('s'.repeat(40)), now: () => clock, cacheTtlMs: 0 });
  });

  const base = { owner: 'alice@example.com', roles: ['analyst'], tags: {} };

  describe('ApiKeyStore conformance', () => {
    it('round-trips every metadata field', async () => {
      const { record } = await service.create({
        ...base,
        name: 'ci bot',
        team: 'data',
        department: 'finance',
        roles: ['analyst', 'intern'],
        models: ['chat-default'],
        tiers: ['on-prem'],
        tags: { project: 'atlas' },
        expiresAt: clock + HOUR,
        budgetRef: 'budget-data',
        rateLimitRef: 'rl-standard',
        createdBy: 'bootstrap-admin',
      });
      expect(await store.get(record.id)).toEqual(record);
      const minimal = (await service.create(base)).record;
      expect(await store.get(minimal.id)).toEqual(minimal);
      expect(minimal.models).toBeUndefined();
    });

    it('lists by owner and team, hiding revoked keys unless asked', async () => {
      const a = (await service.create({ ...base, team: 'data' })).record;
      clock += 1;
      const b = (await service.create({ ...base, owner: 'bob', team: 'web' })).record;
      clock += 1;
      const c = (await service.create({ ...base, team: 'data' })).record;
      await service.revoke(c.id);
      expect((await store.list()).map((record) => record.id)).toEqual([a.id, b.id]);
      expect((await store.list({ team: 'data', includeRevoked: true })).map((record) => record.id)).toEqual([a.id, c.id]);
      expect((await store.list({ owner: 'bob' })).map((record) => record.id)).toEqual([b.id]);
    });

    it('authenticates an issued key and refuses a near miss', async () => {
      const { key, record } = await service.create(base);
      const verdict = await service.verify(key);
      expect(verdict.ok && verdict.principal).toMatchObject({ id: record.id, kind: 'key', roles: ['analyst'], owner: base.owner });
      const last = key.at(-1) === 'a' ? 'b' : 'a';
      expect(await service.verify(key.slice(0, -1) + last)).toEqual({ ok: false, reason: 'unknown' });
    });

    it('refuses a revoked key, and revoking twice keeps the first time', async () => {
      const { key, record } = await service.create(base);
      const revoked = await service.revoke(record.id);
      expect(revoked?.revokedAt).toBe(clock);
      clock += 5;
      await service.revoke(record.id);
      expect((await store.get(record.id))?.revokedAt).toBe(clock - 5);
      expect(await service.verify(key)).toEqual({ ok: false, reason: 'revoked' });
      expect(await service.revoke('key_missing')).toBeUndefined();
    });

    it('refuses an expired key from its expiry instant on', async () => {
      const { key } = await service.create({ ...base, expiresAt: clock + HOUR });
      clock += HOUR - 1;
      expect((await service.verify(key)).ok).toBe(true);
      clock += 1;
      expect(await service.verify(key)).toEqual({ ok: false, reason: 'expired' });
    });

    it('refuses a disabled key and accepts it again when re-enabled', async () => {
      const { key, record } = await service.create(base);
      await service.setDisabled(record.id, true);
      expect(await service.verify(key)).toEqual({ ok: false, reason: 'disabled' });
      await service.setDisabled(record.id, false);
      expect((await service.verify(key)).ok).toBe(true);
    });

    it('keeps the old key working during the rotation grace period only', async () => {
      const { key: oldKey, record } = await service.create(base);
      const rotated = await service.rotate(record.id, { graceMs: HOUR });
      if (!rotated) throw new Error('rotate returned nothing');
      expect(rotated.key).not.toBe(oldKey);
      expect(rotated.record.id).toBe(record.id);
      expect((await service.verify(rotated.key)).ok).toBe(true);
      clock += HOUR - 1;
      expect((await service.verify(oldKey)).ok).toBe(true);
      clock += 1;
      expect(await service.verify(oldKey)).toEqual({ ok: false, reason: 'rotated' });
      expect((await service.verify(rotated.key)).ok).toBe(true);
    });

    it('does not rotate a revoked key, and revocation ends the grace period too', async () => {
      const { key: oldKey, record } = await service.create(base);
      const rotated = await service.rotate(record.id, { graceMs: HOUR });
      await service.revoke(record.id);
      expect(await service.verify(oldKey)).toEqual({ ok: false, reason: 'revoked' });
      expect(await service.verify(rotated?.key ?? '')).toEqual({ ok: false, reason: 'revoked' });
      expect(await service.rotate(record.id)).toBeUndefined();
    });
  });
}
