import type { ApiKeyRecord } from './api-key-store.js';

/** What admin endpoints and the CLI show about a key: never a hash, never the clear key. */
export interface ApiKeyView {
  id: string;
  name: string | null;
  prefix: string;
  owner: string;
  team: string | null;
  department: string | null;
  roles: string[];
  models: string[] | null;
  tiers: string[] | null;
  tags: Record<string, string>;
  budget_ref: string | null;
  rate_limit_ref: string | null;
  status: 'active' | 'disabled' | 'revoked' | 'expired';
  expires_at: string | null;
  revoked_at: string | null;
  /** While a rotation's grace period runs: the old prefix and when it stops working. */
  previous_prefix: string | null;
  previous_expires_at: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

const iso = (value: number | undefined): string | null => (value === undefined ? null : new Date(value).toISOString());

export function apiKeyStatus(record: ApiKeyRecord, now: number): ApiKeyView['status'] {
  if (record.revokedAt !== undefined) return 'revoked';
  if (record.disabled) return 'disabled';
  if (record.expiresAt !== undefined && record.expiresAt <= now) return 'expired';
  return 'active';
}

export function toApiKeyView(record: ApiKeyRecord, now: number): ApiKeyView {
  const inGrace = record.previousExpiresAt !== undefined && record.previousExpiresAt > now;
  return {
    id: record.id,
    name: record.name ?? null,
    prefix: record.prefix,
    owner: record.owner,
    team: record.team ?? null,
    department: record.department ?? null,
    roles: record.roles,
    models: record.models ?? null,
    tiers: record.tiers ?? null,
    tags: record.tags,
    budget_ref: record.budgetRef ?? null,
    rate_limit_ref: record.rateLimitRef ?? null,
    status: apiKeyStatus(record, now),
    expires_at: iso(record.expiresAt),
    revoked_at: iso(record.revokedAt),
    previous_prefix: inGrace ? (record.previousPrefix ?? null) : null,
    previous_expires_at: inGrace ? iso(record.previousExpiresAt) : null,
    created_at: new Date(record.createdAt).toISOString(),
    updated_at: new Date(record.updatedAt).toISOString(),
    created_by: record.createdBy ?? null,
  };
}
