import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from '../../test/support/identity/sqlite-api-key-store.js';
import { API_KEY_ENTROPY_BITS, displayPrefix, generateApiKey, isWellFormedApiKey } from './api-key-format.js';
import { createApiKeyHasher } from './api-key-hasher.js';
import { createApiKeyService } from './api-key-service.js';
import type { ApiKeyStore } from './api-key-store.js';

// Wrap timingSafeEqual so the test can prove the comparison goes through it.
const timingSafeEqual = vi.hoisted(() => ({ calls: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      timingSafeEqual.calls += 1;
      return actual.timingSafeEqual(a, b);
    },
  };
});

function sqliteStore(): ApiKeyStore {
  const database = new Database(':memory:');
  ensureSqliteApiKeySchema(database);
  return createSqliteApiKeyStore(database);
}

const hasher = createApiKeyHasher('k'.repeat(48));
const base = { owner: 'alice', roles: ['analyst'], tags: {} };

describe('virtual API key format', () => {
  it('has at least 192 bits of entropy in a sy- prefixed base62 string', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sy-[0-9A-Za-z]{43}$/);
    expect(API_KEY_ENTROPY_BITS).toBeGreaterThanOrEqual(192);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(isWellFormedApiKey('sy-demo-quickstart-key')).toBe(false);
    expect(displayPrefix(key)).toBe(key.slice(0, 9));
  });

  it('does not repeat and uses the whole alphabet', () => {
    const keys = Array.from({ length: 200 }, generateApiKey);
    expect(new Set(keys).size).toBe(200);
    const characters = new Set(keys.map((key) => key.slice(3)).join(''));
    expect(characters.size).toBe(62);
  });

  it('refuses a short HMAC secret', () => {
    expect(() => createApiKeyHasher('short')).toThrow(/at least 32/);
  });
});

describe('ApiKeyService', () => {
  it('compares digests with crypto.timingSafeEqual, once per candidate secret', async () => {
    const service = createApiKeyService({ store: sqliteStore(), hasher, cacheTtlMs: 0 });
    const { key, record } = await service.create(base);
    await service.rotate(record.id, { graceMs: 60_000 });
    timingSafeEqual.calls = 0;
    expect((await service.verify(key)).ok).toBe(true);
    // Current and previous secret are both compared, even though the second already matches.
    expect(timingSafeEqual.calls).toBe(2);
  });

  it('stores only the HMAC under the server secret', async () => {
    const store = sqliteStore();
    const service = createApiKeyService({ store, hasher });
    const { key, record } = await service.create(base);
    expect(record.hash).toBe(hasher.hash(key));
    expect(record.hash).not.toBe(createApiKeyHasher('z'.repeat(48)).hash(key));
    expect(JSON.stringify(await store.get(record.id))).not.toContain(key.slice(9));
  });

  it('serves repeated lookups from the cache, and sees a revocation elsewhere after the TTL', async () => {
    let clock = 1_000_000;
    const store = sqliteStore();
    const lookups = vi.spyOn(store, 'findByPrefix');
    const instanceA = createApiKeyService({ store, hasher, now: () => clock, cacheTtlMs: 10_000 });
    const instanceB = createApiKeyService({ store, hasher, now: () => clock, cacheTtlMs: 10_000 });
    const { key, record } = await instanceA.create(base);
    for (let index = 0; index < 5; index += 1) expect((await instanceA.verify(key)).ok).toBe(true);
    expect(lookups).toHaveBeenCalledTimes(1);

    await instanceB.revoke(record.id);
    // Instance A still has the cached row: revocation delay up to the TTL.
    clock += 9_999;
    expect((await instanceA.verify(key)).ok).toBe(true);
    clock += 1;
    expect(await instanceA.verify(key)).toEqual({ ok: false, reason: 'revoked' });
    // On the instance that revoked, it is immediate.
    expect(await instanceB.verify(key)).toEqual({ ok: false, reason: 'revoked' });
  });

  it('caches misses so a client retrying a bad key does not query per request', async () => {
    const store = sqliteStore();
    const lookups = vi.spyOn(store, 'findByPrefix');
    const service = createApiKeyService({ store, hasher });
    const bogus = generateApiKey();
    for (let index = 0; index < 4; index += 1) expect(await service.verify(bogus)).toEqual({ ok: false, reason: 'unknown' });
    expect(lookups).toHaveBeenCalledTimes(1);
    expect(await service.verify('sy-not-a-virtual-key')).toEqual({ ok: false, reason: 'malformed' });
    expect(lookups).toHaveBeenCalledTimes(1);
  });

  it('retires the old key at once when rotated with zero grace, despite the cache', async () => {
    const store = sqliteStore();
    const service = createApiKeyService({ store, hasher });
    const { key, record } = await service.create(base);
    expect((await service.verify(key)).ok).toBe(true); // now cached
    const rotated = await service.rotate(record.id, { graceMs: 0 });
    expect((await service.verify(rotated?.key ?? '')).ok).toBe(true);
    expect(await service.verify(key)).toEqual({ ok: false, reason: 'rotated' });
  });
});
