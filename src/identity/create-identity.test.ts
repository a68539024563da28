import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteApiKeyStore, ensureSqliteApiKeySchema } from '../../test/support/identity/sqlite-api-key-store.js';
import { createIdentity } from './create-identity.js';
import { ADMIN_SCOPES, identityConfigSchema } from './identity-config-schema.js';

const secrets: Record<string, string> = {
  '${env:KEY_SECRET}': 'key-secret-0123456789-0123456789-abc',
  '${env:BOOTSTRAP}': 'bootstrap-0123456789-0123456789',
  '${env:LEGACY}': 'legacy-config-key',
};
const resolveSecret = (reference: string) => {
  const value = secrets[reference];
  if (value === undefined) throw new Error(`unknown reference ${reference}`);
  return value;
};

let jwksUri = '';
let sign: (claims: Record<string, unknown>) => Promise<string>;
const server = createServer();
beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
  server.on('request', (_request, response) => response.end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
  sign = (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setExpirationTime('5m').sign(pair.privateKey);
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createIdentity', () => {
  it('wires keys, bootstrap key, config keys, OIDC and roles from one config section', async () => {
    const database = new Database(':memory:');
    ensureSqliteApiKeySchema(database);
    const identity = createIdentity({
      identity: identityConfigSchema.parse({
        key_store: { secret: '${env:KEY_SECRET}' },
        bootstrap_admin_key: '${env:BOOTSTRAP}',
        roles: { analyst: { models: ['chat'] }, admin: { admin_scopes: ['keys:read'] } },
        oidc: {
          issuers: [{ id: 'kc', issuer: 'https://sso.example.test/realms/a', audience: 'sy', jwks_uri: jwksUri, algorithms: ['ES256'], group_roles: { admins: ['admin'] } }],
        },
      }),
      staticKeys: [{ id: 'legacy', key: '${env:LEGACY}', roles: ['analyst'], tags: {} }],
      resolveSecret,
      apiKeyStore: createSqliteApiKeyStore(database),
    });
    const as = (credential: string) => identity.authenticator.authenticate({ headers: { authorization: `Bearer ${credential}` }, clientAddress: '203.0.113.9' });

    const { key } = await identity.apiKeys!.create({ owner: 'bob', roles: ['analyst'], tags: {} });
    const keyPrincipal = await as(key);
    expect(identity.policy.decide(keyPrincipal, { model: 'chat' }).allowed).toBe(true);
    expect((await as('legacy-config-key')).id).toBe('legacy');
    expect(identity.policy.scopesOf(await as(secrets['${env:BOOTSTRAP}'] ?? '')).size).toBe(ADMIN_SCOPES.length);

    const user = await as(await sign({ iss: 'https://sso.example.test/realms/a', aud: 'sy', sub: 'u1', groups: ['admins'] }));
    expect(user).toMatchObject({ id: 'u1', kind: 'user', roles: ['admin'] });
    expect(identity.policy.decide(user, { adminScope: 'keys:read' }).allowed).toBe(true);
    expect(identity.policy.decide(user, { model: 'chat' })).toMatchObject({ allowed: false, reason: 'access_denied_model' });

    await expect(as('nope')).rejects.toMatchObject({ code: 'invalid_api_key', status: 401 });
    expect(identity.limiter.counters().failures).toBe(1);
  });

  it('leaves virtual keys and OIDC off when not configured', () => {
    const identity = createIdentity({ identity: identityConfigSchema.parse({}), staticKeys: [], resolveSecret });
    expect([identity.apiKeys, identity.oidc]).toEqual([undefined, undefined]);
  });
});
