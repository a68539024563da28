/**
 * Where virtual API keys live. The identity room owns this contract; SQLite and PostgreSQL
 * implement it under src/storage/. A record never holds a clear key, only its HMAC.
 * Times are epoch milliseconds.
 */

/** Metadata an administrator sets on a key. */
export interface ApiKeyMetadata {
  name?: string;
  owner: string;
  team?: string;
  department?: string;
  roles: string[];
  /** Model aliases the key may use; undefined means whatever its roles allow. */
  models?: string[];
  /** Deployment tiers the key may reach; undefined means whatever its roles allow. */
  tiers?: string[];
  expiresAt?: number;
  tags: Record<string, string>;
  /** References for the metering issue: which budget and rate-limit policy apply. */
  budgetRef?: string;
  rateLimitRef?: string;
}

export interface ApiKeyRecord extends ApiKeyMetadata {
  id: string;
  /** Display prefix of the current secret, e.g. `sy-AbC123`. */
  prefix: string;
  /** Hex HMAC-SHA-256 of the current secret. */
  hash: string;
  /** The secret replaced by the last rotation, valid until `previousExpiresAt`. */
  previousPrefix?: string;
  previousHash?: string;
  previousExpiresAt?: number;
  disabled: boolean;
  revokedAt?: number;
  createdAt: number;
  updatedAt: number;
  createdBy?: string;
}

export interface ApiKeyListFilter {
  owner?: string;
  team?: string;
  includeRevoked?: boolean;
}

export interface ApiKeyRotation {
  prefix: string;
  hash: string;
  previousPrefix: string;
  previousHash: string;
  previousExpiresAt: number;
  at: number;
}

export interface ApiKeyStore {
  insert(record: ApiKeyRecord): Promise<void>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  list(filter?: ApiKeyListFilter): Promise<ApiKeyRecord[]>;
  /** Rows whose current or previous secret has this display prefix (usually 0 or 1). */
  findByPrefix(prefix: string): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked; false when no such key. Idempotent: a second revoke keeps the first time. */
  revoke(id: string, at: number): Promise<boolean>;
  setDisabled(id: string, disabled: boolean, at: number): Promise<boolean>;
  /** Replaces the secret, keeping the old one as `previous*`; false when no such key. */
  rotate(id: string, rotation: ApiKeyRotation): Promise<boolean>;
}
