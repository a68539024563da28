import type { ApiKeyRecord } from './api-key-store.js';

/**
 * Short-lived cache of store lookups by display prefix, so authentication does not hit the
 * database on every request. Empty results are cached too: a client retrying a bad key must
 * not turn into a query per request. Bounded, oldest entry evicted first.
 *
 * Consequence (documented in docs/identity.md): a key revoked on another gateway instance keeps
 * working here for at most `ttlMs`. Changes made through this process invalidate immediately.
 */
export interface ApiKeyCache {
  get(prefix: string): ApiKeyRecord[] | undefined;
  set(prefix: string, records: ApiKeyRecord[]): void;
  invalidate(prefix: string): void;
  clear(): void;
}

export function createApiKeyCache(options: { ttlMs: number; maxEntries: number; now: () => number }): ApiKeyCache {
  const entries = new Map<string, { records: ApiKeyRecord[]; storedAt: number }>();
  return {
    get(prefix) {
      const entry = entries.get(prefix);
      if (!entry) return undefined;
      if (options.now() - entry.storedAt >= options.ttlMs) {
        entries.delete(prefix);
        return undefined;
      }
      return entry.records;
    },
    set(prefix, records) {
      if (options.ttlMs <= 0) return;
      entries.delete(prefix);
      entries.set(prefix, { records, storedAt: options.now() });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done) break;
        entries.delete(oldest.value);
      }
    },
    invalidate(prefix) {
      entries.delete(prefix);
    },
    clear() {
      entries.clear();
    },
  };
}
