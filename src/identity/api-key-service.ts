import { createApiKeyCache } from './api-key-cache.js';
import { displayPrefix, generateApiKey, generateKeyId, isWellFormedApiKey } from './api-key-format.js';
import type { ApiKeyHasher } from './api-key-hasher.js';
import type { ApiKeyListFilter, ApiKeyMetadata, ApiKeyRecord, ApiKeyStore } from './api-key-store.js';
import { apiKeyStatus } from './api-key-view.js';
import type { Principal } from '../model/principal.js';

/**
 * Virtual API keys: issue, list, revoke, rotate, and authenticate. The clear key exists only in
 * the return value of `create`/`rotate` and in the request presenting it.
 */

export interface ApiKeyServiceOptions {
  store: ApiKeyStore;
  hasher: ApiKeyHasher;
  now?: () => number;
  /** How long a lookup is reused; bounds how late another instance sees a revocation. */
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  /** Default time an old key keeps working after `rotate`. */
  rotationGraceMs?: number;
}

export interface CreateApiKeyInput extends ApiKeyMetadata {
  createdBy?: string;
}

/** A key as issued: `key` is shown once and never stored. */
export interface IssuedApiKey {
  key: string;
  record: ApiKeyRecord;
}

/** Why a key did not authenticate; for logs and audit only — clients always get `invalid_api_key`. */
export type ApiKeyRejection = 'malformed' | 'unknown' | 'revoked' | 'disabled' | 'expired' | 'rotated';

export type ApiKeyVerdict = { ok: true; principal: Principal; record: ApiKeyRecord } | { ok: false; reason: ApiKeyRejection };

export interface ApiKeyService {
  create(input: CreateApiKeyInput): Promise<IssuedApiKey>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  list(filter?: ApiKeyListFilter): Promise<ApiKeyRecord[]>;
  revoke(id: string): Promise<ApiKeyRecord | undefined>;
  setDisabled(id: string, disabled: boolean): Promise<ApiKeyRecord | undefined>;
  /** New secret for the same key id; the old one works for `graceMs` (default from options). */
  rotate(id: string, options?: { graceMs?: number }): Promise<IssuedApiKey | undefined>;
  verify(presented: string): Promise<ApiKeyVerdict>;
}

export const DEFAULT_CACHE_TTL_MS = 10_000;
export const DEFAULT_ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export function principalFromApiKey(record: ApiKeyRecord): Principal {
  const principal: Principal = { id: record.id, kind: 'key', roles: record.roles, tags: record.tags, owner: record.owner };
  if (record.team !== undefined) principal.team = record.team;
  if (record.department !== undefined) principal.department = record.department;
  if (record.models !== undefined) principal.allowedModels = record.models;
  if (record.tiers !== undefined) principal.allowedTiers = record.tiers;
  if (record.budgetRef !== undefined) principal.budgetRef = record.budgetRef;
  if (record.rateLimitRef !== undefined) principal.rateLimitRef = record.rateLimitRef;
  return principal;
}

export function createApiKeyService(options: ApiKeyServiceOptions): ApiKeyService {
  const { store, hasher } = options;
  const now = options.now ?? Date.now;
  const defaultGraceMs = options.rotationGraceMs ?? DEFAULT_ROTATION_GRACE_MS;
  const cache = createApiKeyCache({
    ttlMs: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
    maxEntries: options.maxCacheEntries ?? 10_000,
    now,
  });

  /** Drops every cached lookup that could return this record, old secret included. */
  const forget = (record: ApiKeyRecord | undefined): void => {
    if (!record) return;
    cache.invalidate(record.prefix);
    if (record.previousPrefix !== undefined) cache.invalidate(record.previousPrefix);
  };

  const candidatesFor = async (prefix: string): Promise<ApiKeyRecord[]> => {
    const cached = cache.get(prefix);
    if (cached) return cached;
    const records = await store.findByPrefix(prefix);
    cache.set(prefix, records);
    return records;
  };

  return {
    async create(input) {
      const key = generateApiKey();
      const at = now();
      const record: ApiKeyRecord = {
        ...input,
        id: generateKeyId(),
        prefix: displayPrefix(key),
        hash: hasher.hash(key),
        disabled: false,
        createdAt: at,
        updatedAt: at,
      };
      await store.insert(record);
      cache.invalidate(record.prefix);
      return { key, record };
    },
    get: (id) => store.get(id),
    list: (filter) => store.list(filter),
    async revoke(id) {
      const before = await store.get(id);
      if (!before || !(await store.revoke(id, now()))) return undefined;
      forget(before);
      return store.get(id);
    },
    async setDisabled(id, disabled) {
      const before = await store.get(id);
      if (!before || !(await store.setDisabled(id, disabled, now()))) return undefined;
      forget(before);
      return store.get(id);
    },
    async rotate(id, rotateOptions = {}) {
      const before = await store.get(id);
      if (!before || before.revokedAt !== undefined) return undefined;
      const key = generateApiKey();
      const at = now();
      const changed = await store.rotate(id, {
        prefix: displayPrefix(key),
        hash: hasher.hash(key),
        // A second rotation inside the grace period retires the first old key at once.
        previousPrefix: before.prefix,
        previousHash: before.hash,
        previousExpiresAt: at + Math.max(0, rotateOptions.graceMs ?? defaultGraceMs),
        at,
      });
      if (!changed) return undefined;
      forget(before);
      cache.invalidate(displayPrefix(key));
      const record = await store.get(id);
      return record ? { key, record } : undefined;
    },
    async verify(presented) {
      if (!isWellFormedApiKey(presented)) return { ok: false, reason: 'malformed' };
      const digest = hasher.hash(presented);
      const at = now();
      let verdict: ApiKeyVerdict = { ok: false, reason: 'unknown' };
      // Every candidate is compared, in constant time, whatever matched first.
      for (const record of await candidatesFor(displayPrefix(presented))) {
        const current = hasher.matches(record.hash, digest);
        const previous = record.previousHash !== undefined && hasher.matches(record.previousHash, digest);
        if (!current && !previous) continue;
        const status = apiKeyStatus(record, at);
        if (status !== 'active') verdict = { ok: false, reason: status };
        else if (!current && (record.previousExpiresAt ?? 0) <= at) verdict = { ok: false, reason: 'rotated' };
        else verdict = { ok: true, principal: principalFromApiKey(record), record };
      }
      return verdict;
    },
  };
}
