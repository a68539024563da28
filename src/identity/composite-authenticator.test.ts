import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from '../../test/support/identity/sqlite-api-key-store.js';
import { createApiKeyHasher } from './api-key-hasher.js';
import { createApiKeyService, type ApiKeyService } from './api-key-service.js';
import { createAuthFailureLimiter } from './auth-failure-limiter.js';
import { createCompositeAuthenticator, type AuthenticationFailure, type RequestAuthenticator } from './composite-authenticator.js';
import { abuseProtectionSchema } from './identity-config-schema.js';
import { TokenRejectedError } from './identity-errors.js';
import type { OidcVerifier } from './oidc-verifier.js';
import { createStaticKeyAuthenticator } from './static-key-authenticator.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln';
const fakeOidc: OidcVerifier = {
  jwksFetches: () => 0,
  async verify(token) {
    if (token === JWT) return { id: 'alice', kind: 'user', roles: ['analyst'], tags: { issuer: 'entra' } };
    throw new TokenRejectedError('token_expired', 'The token has expired.');
  },
};

const bearer = (credential: string) => ({ headers: { authorization: `Bearer ${credential}` }, clientAddress: '192.0.2.7' });
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

let apiKeys: ApiKeyService;
let authenticator: RequestAuthenticator;
let failures: AuthenticationFailure[];
let limiter: ReturnType<typeof createAuthFailureLimiter>;

beforeEach(() => {
  const database = new Database(':memory:');
  ensureSqliteApiKeySchema(database);
  apiKeys = createApiKeyService({ store: createSqliteApiKeyStore(database), hasher: createApiKeyHasher('h'.repeat(40)) });
  const staticKeys = createStaticKeyAuthenticator(
    [{ id: 'legacy', key: '${env:LEGACY}', roles: ['analyst'], tags: {} }],
    () => 'sy-demo-quickstart-key',
  );
  failures = [];
  limiter = createAuthFailureLimiter(abuseProtectionSchema.parse({ delay_after_failures: 2, block_after_failures: 3 }), { sleep: async () => {} });
  authenticator = createCompositeAuthenticator({
    apiKeys,
    staticKeys,
    oidc: fakeOidc,
    limiter,
    bootstrapAdminKey: 'bootstrap-secret-value-0123456789',
    onFailure: (failure) => failures.push(failure),
  });
});

describe('composite authenticator', () => {
  it('accepts a virtual key as a key principal', async () => {
    const { key, record } = await apiKeys.create({ owner: 'bob', roles: ['analyst'], tags: {} });
    expect(await authenticator.authenticate({ headers: { 'x-api-key': key } })).toMatchObject({ id: record.id, kind: 'key', owner: 'bob' });
  });

  it('falls back to config keys, including ones that start with sy-', async () => {
    expect(await authenticator.authenticate(bearer('sy-demo-quickstart-key'))).toMatchObject({ id: 'legacy', kind: 'key' });
  });

  it('sends a token with two dots to the OIDC verifier', async () => {
    expect(await authenticator.authenticate(bearer(JWT))).toMatchObject({ id: 'alice', kind: 'user' });
    expect(await codeOf(authenticator.authenticate(bearer('a.b.c')))).toBe('token_expired');
    expect(failures.at(-1)).toEqual({ clientAddress: '192.0.2.7', method: 'jwt', code: 'token_expired' });
  });

  it('accepts the bootstrap admin key as an admin principal without model access', async () => {
    expect(await authenticator.authenticate(bearer('bootstrap-secret-value-0123456789'))).toMatchObject({
      id: 'bootstrap-admin',
      roles: ['switchyard:bootstrap-admin'],
      allowedModels: [],
    });
  });

  it('does not let a revoked virtual key fall through to anything else', async () => {
    const { key, record } = await apiKeys.create({ owner: 'bob', roles: [], tags: {} });
    await apiKeys.revoke(record.id);
    expect(await codeOf(authenticator.authenticate(bearer(key)))).toBe('invalid_api_key');
    expect(failures.at(-1)).toMatchObject({ method: 'api_key', detail: 'revoked' });
  });

  it('answers 401 missing_api_key without counting it as a failure', async () => {
    for (let index = 0; index < 5; index += 1) expect(await codeOf(authenticator.authenticate({ headers: {}, clientAddress: '192.0.2.7' }))).toBe('missing_api_key');
    expect(limiter.counters().failures).toBe(0);
  });

  it('throttles failures from an address after repeated failures, but never refuses a valid credential', async () => {
    for (let index = 0; index < 3; index += 1) expect(await codeOf(authenticator.authenticate(bearer('sy-wrong')))).toBe('invalid_api_key');
    // Blocked: another wrong guess is refused with 429 …
    expect(await codeOf(authenticator.authenticate(bearer('sy-wrong-again')))).toBe('auth_throttled');
    // … while the operator's valid key from the same address still works, as does the bootstrap admin key.
    expect(await authenticator.authenticate(bearer('sy-demo-quickstart-key'))).toMatchObject({ id: 'legacy' });
    expect(await authenticator.authenticate(bearer('bootstrap-secret-value-0123456789'))).toMatchObject({ id: 'bootstrap-admin' });
    expect(await codeOf(authenticator.authenticate(bearer('sy-wrong')))).toBe('auth_throttled');
  });

  it('never throttles loopback, however often it fails', async () => {
    const local = (key: string) => ({ headers: { authorization: `Bearer ${key}` }, clientAddress: '::ffff:127.0.0.1' });
    for (let index = 0; index < 10; index += 1) expect(await codeOf(authenticator.authenticate(local('sy-wrong')))).toBe('invalid_api_key');
    expect(limiter.counters().trackedAddresses).toBe(0);
  });
});
