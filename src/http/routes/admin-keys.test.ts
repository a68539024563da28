import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccessDecision } from '../../identity/access-decision.js';
import { createAccessPolicy } from '../../identity/access-policy.js';
import { createApiKeyHasher } from '../../identity/api-key-hasher.js';
import { createApiKeyService, type ApiKeyService } from '../../identity/api-key-service.js';
import { createAuthFailureLimiter } from '../../identity/auth-failure-limiter.js';
import { createCompositeAuthenticator } from '../../identity/composite-authenticator.js';
import { abuseProtectionSchema, identityConfigSchema } from '../../identity/identity-config-schema.js';
import type { OidcVerifier } from '../../identity/oidc-verifier.js';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from '../../../test/support/identity/sqlite-api-key-store.js';
import { errorHandler } from '../error-handler.js';
import { registerAdminKeysRoutes } from './admin-keys.js';

const BOOTSTRAP = 'bootstrap-0123456789-abcdefghij';
const ADMIN_JWT = 'header.payload-admin.signature';
const USER_JWT = 'header.payload-user.signature';
const { roles } = identityConfigSchema.parse({
  roles: {
    analyst: { models: ['chat'], tiers: ['on-prem'] },
    'key-admin': { admin_scopes: ['keys:read', 'keys:write'] },
    'key-reader': { admin_scopes: ['keys:read'] },
    auditor: { admin_scopes: ['audit:read'] },
  },
});
const oidc: OidcVerifier = {
  jwksFetches: () => 0,
  async verify(token) {
    return { id: token === ADMIN_JWT ? 'carol' : 'dave', kind: 'user', roles: token === ADMIN_JWT ? ['key-admin'] : ['analyst'], tags: {} };
  },
};

let app: FastifyInstance;
let apiKeys: ApiKeyService;
let decisions: AccessDecision[];
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2026, 0, 1);
  const database = new Database(':memory:');
  ensureSqliteApiKeySchema(database);
  apiKeys = createApiKeyService({ store: createSqliteApiKeyStore(database), hasher: createApiKeyHasher('a'.repeat(40)), now: () => clock });
  decisions = [];
  app = Fastify();
  app.setErrorHandler(errorHandler);
  registerAdminKeysRoutes(app, {
    authenticator: createCompositeAuthenticator({ apiKeys, oidc, bootstrapAdminKey: BOOTSTRAP }),
    policy: createAccessPolicy(roles),
    apiKeys,
    now: () => clock,
    onDecision: (decision) => decisions.push(decision),
  });
  await app.ready();
});
afterEach(() => app.close());

const as = (credential: string) => ({ authorization: `Bearer ${credential}` });
async function createKey(credential: string, body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/admin/keys', headers: as(credential), payload: body });
}

describe('/admin/keys', () => {
  it('answers 429 with Retry-After once an address has failed too often', async () => {
    const throttled = Fastify();
    throttled.setErrorHandler(errorHandler);
    const limiter = createAuthFailureLimiter(abuseProtectionSchema.parse({ delay_after_failures: 1, delay_ms: 0, block_after_failures: 2, block_seconds: 120 }));
    registerAdminKeysRoutes(throttled, { authenticator: createCompositeAuthenticator({ apiKeys, limiter }), policy: createAccessPolicy(roles), apiKeys });
    const attempt = () => throttled.inject({ method: 'GET', url: '/admin/keys', headers: as('sy-guess'), remoteAddress: '192.0.2.50' });
    expect((await attempt()).statusCode).toBe(401);
    expect((await attempt()).statusCode).toBe(401);
    const refused = await attempt();
    expect([refused.statusCode, refused.headers['retry-after'], refused.json<{ error: { code: string } }>().error.code]).toEqual([429, '120', 'auth_throttled']);
    await throttled.close();
  });

  it('creates a key with the bootstrap admin key and shows the clear key only once', async () => {
    const created = await createKey(BOOTSTRAP, { owner: 'bob', roles: ['analyst'], models: ['chat'], expires_in_seconds: 3600, tags: { app: 'crm' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json<{ key: string; id: string; status: string; created_by: string; expires_at: string }>();
    expect(body.key).toMatch(/^sy-[0-9A-Za-z]{43}$/);
    expect(body).toMatchObject({ status: 'active', created_by: 'bootstrap-admin', expires_at: '2026-01-01T01:00:00.000Z' });
    expect((await apiKeys.verify(body.key)).ok).toBe(true);

    const shown = await app.inject({ method: 'GET', url: `/admin/keys/${body.id}`, headers: as(BOOTSTRAP) });
    const listed = await app.inject({ method: 'GET', url: '/admin/keys', headers: as(BOOTSTRAP) });
    for (const response of [shown, listed]) {
      expect(response.statusCode).toBe(200);
      expect(response.body).not.toContain(body.key.slice(9));
      expect(response.body).not.toContain('"hash"');
    }
    expect(listed.json<{ data: unknown[] }>().data).toHaveLength(1);
  });

  it('refuses non-admin principals with 403 and records the decision', async () => {
    const { key } = await apiKeys.create({ owner: 'eve', roles: ['analyst'], tags: {} });
    for (const credential of [key, USER_JWT]) {
      const response = await app.inject({ method: 'GET', url: '/admin/keys', headers: as(credential) });
      expect(response.statusCode).toBe(403);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('access_denied_admin_scope');
    }
    expect(decisions.at(-1)).toMatchObject({ allowed: false, principalId: 'dave', request: { adminScope: 'keys:read' } });
  });

  it('refuses anonymous and bad credentials with 401', async () => {
    expect((await app.inject({ method: 'GET', url: '/admin/keys' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/admin/keys', headers: as('sy-nope') })).statusCode).toBe(401);
  });

  it('lets an OIDC user with an admin role manage keys, a reader only read', async () => {
    expect((await createKey(ADMIN_JWT, { owner: 'bob', roles: ['analyst'] })).statusCode).toBe(201);
    const { key: reader } = await apiKeys.create({ owner: 'ops', roles: ['key-reader'], tags: {} });
    expect((await app.inject({ method: 'GET', url: '/admin/keys', headers: as(reader) })).statusCode).toBe(200);
    const refused = await createKey(reader, { owner: 'bob' });
    expect([refused.statusCode, refused.json<{ error: { code: string } }>().error.code]).toEqual([403, 'access_denied_admin_scope']);
  });

  it('does not let keys:write mint admin scopes the caller lacks, nor unknown or reserved roles', async () => {
    const escalate = await createKey(ADMIN_JWT, { owner: 'mallory', roles: ['auditor'] });
    expect([escalate.statusCode, escalate.json<{ error: { code: string } }>().error.code]).toEqual([403, 'access_denied_admin_scope']);
    expect((await createKey(BOOTSTRAP, { owner: 'x', roles: ['ghost'] })).statusCode).toBe(400);
    expect((await createKey(BOOTSTRAP, { owner: 'x', roles: ['switchyard:bootstrap-admin'] })).statusCode).toBe(400);
    expect((await createKey(BOOTSTRAP, { owner: 'x', colour: 'red' })).statusCode).toBe(400);
    expect((await createKey(BOOTSTRAP, { owner: 'x', expires_at: '2020-01-01T00:00:00Z' })).statusCode).toBe(400);
  });

  it('revokes a key so it stops authenticating', async () => {
    const { key, id } = (await createKey(BOOTSTRAP, { owner: 'bob' })).json<{ key: string; id: string }>();
    const revoked = await app.inject({ method: 'POST', url: `/admin/keys/${id}/revoke`, headers: as(BOOTSTRAP) });
    expect(revoked.json<{ status: string }>().status).toBe('revoked');
    expect(await apiKeys.verify(key)).toEqual({ ok: false, reason: 'revoked' });
    expect((await app.inject({ method: 'POST', url: '/admin/keys/key_missing/revoke', headers: as(BOOTSTRAP) })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: `/admin/keys/${id}/rotate`, headers: as(BOOTSTRAP) })).statusCode).toBe(400);
  });

  it('rotates a key with a grace period for the old one', async () => {
    const { key: oldKey, id } = (await createKey(BOOTSTRAP, { owner: 'bob' })).json<{ key: string; id: string }>();
    const rotated = await app.inject({ method: 'POST', url: `/admin/keys/${id}/rotate`, headers: as(BOOTSTRAP), payload: { grace_seconds: 60 } });
    const body = rotated.json<{ key: string; id: string; previous_expires_at: string }>();
    expect([rotated.statusCode, body.id, body.previous_expires_at]).toEqual([200, id, '2026-01-01T00:01:00.000Z']);
    expect((await apiKeys.verify(body.key)).ok).toBe(true);
    expect((await apiKeys.verify(oldKey)).ok).toBe(true);
    clock += 60_000;
    expect(await apiKeys.verify(oldKey)).toEqual({ ok: false, reason: 'rotated' });
  });
});
