import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorHandler } from '../http/error-handler.js';
import { createCompositeAuthenticator } from './composite-authenticator.js';
import { oidcIssuerSchema } from './identity-config-schema.js';
import { TokenRejectedError } from './identity-errors.js';
import { createOidcVerifier, type OidcVerifier } from './oidc-verifier.js';

/** A real JWKS endpoint over HTTP, with RSA and EC keys the test can rotate. */
type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  pair: KeyPair;
  jwk: JWK;
}

async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, pair, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg, use: 'sig' } };
}

const ISSUER = 'https://idp.example.test/realms/acme';
const AUDIENCE = 'switchyard';
let server: Server;
let jwksUri: string;
let published: SigningKey[] = [];
let jwksHits = 0;
let rsa: SigningKey;
let ec: SigningKey;
let ghost: SigningKey;
let clock = Date.UTC(2026, 5, 1, 12);
const seconds = () => Math.floor(clock / 1000);

beforeAll(async () => {
  [rsa, ec, ghost] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256'), signingKey('ghost', 'RS256')]);
  server = createServer((request, response) => {
    jwksHits += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: published.map((key) => key.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/protocol/openid-connect/certs`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let verifier: OidcVerifier;
beforeEach(() => {
  published = [rsa, ec];
  jwksHits = 0;
  clock = Date.UTC(2026, 5, 1, 12);
  const issuer = oidcIssuerSchema.parse({
    id: 'keycloak',
    issuer: ISSUER,
    audience: AUDIENCE,
    jwks_uri: jwksUri,
    algorithms: ['RS256', 'ES256'],
    clock_skew_seconds: 30,
    jwks_refresh_min_interval_seconds: 30,
    claims: { user_id: 'preferred_username', department: 'department', groups: 'realm_access.roles' },
    group_roles: { 'llm-users': ['analyst'], 'llm-admins': ['admin', 'analyst'] },
    default_roles: ['employee'],
  });
  verifier = createOidcVerifier({ issuers: [issuer], now: () => clock });
});

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'f3a1',
    preferred_username: 'alice',
    department: 'finance',
    realm_access: { roles: ['llm-users', 'offline_access'] },
    iat: seconds(),
    exp: seconds() + 300,
    ...overrides,
  };
}

function sign(key: SigningKey, payload: JWTPayload = claims(), kid = key.kid): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid, typ: 'JWT' }).sign(key.pair.privateKey);
}

async function rejectionOf(token: string): Promise<{ code: string; status: number }> {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof TokenRejectedError) return { code: error.code, status: error.status };
    throw error;
  }
  throw new Error('token was accepted');
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OIDC verifier against a real JWKS endpoint', () => {
  it('accepts a valid RS256 token and maps claims to a user principal', async () => {
    const principal = await verifier.verify(await sign(rsa));
    expect(principal).toEqual({
      id: 'alice',
      kind: 'user',
      department: 'finance',
      roles: ['analyst', 'employee'],
      tags: { issuer: 'keycloak' },
    });
    expect(jwksHits).toBe(1);
  });

  it('accepts an ES256 token and reuses the cached JWKS', async () => {
    await verifier.verify(await sign(rsa));
    const principal = await verifier.verify(await sign(ec, claims({ realm_access: { roles: ['llm-admins'] } })));
    expect(principal.roles).toEqual(['admin', 'analyst', 'employee']);
    expect(jwksHits).toBe(1);
  });

  it('refuses an expired token, honouring the clock skew bound', async () => {
    const token = await sign(rsa, claims({ exp: seconds() - 20 }));
    expect((await verifier.verify(token)).id).toBe('alice'); // within 30 s skew
    expect(await rejectionOf(await sign(rsa, claims({ exp: seconds() - 31 })))).toEqual({ code: 'token_expired', status: 401 });
  });

  it('refuses a token that is not valid yet', async () => {
    expect(await rejectionOf(await sign(rsa, claims({ nbf: seconds() + 120 })))).toEqual({ code: 'token_not_yet_valid', status: 401 });
  });

  it('refuses a token for another audience', async () => {
    expect(await rejectionOf(await sign(rsa, claims({ aud: 'another-app' })))).toEqual({ code: 'token_audience_mismatch', status: 401 });
  });

  it('refuses a token from an unconfigured issuer', async () => {
    expect(await rejectionOf(await sign(rsa, claims({ iss: 'https://evil.example.test' })))).toEqual({ code: 'token_issuer_mismatch', status: 401 });
    expect(jwksHits).toBe(0);
  });

  it('refuses alg "none"', async () => {
    const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`;
    expect(await rejectionOf(token)).toEqual({ code: 'token_algorithm_not_allowed', status: 401 });
  });

  it('refuses HS256 signed with the issuer public key (algorithm confusion)', async () => {
    const publicPem = await exportSPKI(rsa.pair.publicKey);
    const token = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: rsa.kid })
      .sign(new TextEncoder().encode(publicPem));
    expect(await rejectionOf(token)).toEqual({ code: 'token_algorithm_not_allowed', status: 401 });
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await sign(rsa)).split('.');
    const forged = `${header}.${b64(claims({ realm_access: { roles: ['llm-admins'] } }))}.${signature}`;
    expect(await rejectionOf(forged)).toEqual({ code: 'token_invalid', status: 401 });
  });

  it('refuses an unknown kid after exactly one JWKS refresh, and rate-limits further refreshes', async () => {
    await verifier.verify(await sign(rsa));
    expect(jwksHits).toBe(1);
    clock += 31_000;
    expect(await rejectionOf(await sign(ghost, claims()))).toEqual({ code: 'token_unknown_key', status: 401 });
    expect(jwksHits).toBe(2);
    // Another forged kid right away must not reach the IdP again.
    expect(await rejectionOf(await sign(ghost, claims(), 'ghost-2'))).toEqual({ code: 'token_unknown_key', status: 401 });
    expect(jwksHits).toBe(2);
    expect(verifier.jwksFetches('keycloak')).toBe(2);
  });

  it('accepts a key the issuer rotated in, without a restart', async () => {
    await verifier.verify(await sign(rsa));
    const rotated = await signingKey('rsa-2', 'RS256');
    published = [rotated, ec]; // issuer retires rsa-1
    clock += 31_000;
    expect((await verifier.verify(await sign(rotated, claims()))).id).toBe('alice');
    expect(jwksHits).toBe(2);
    expect(await rejectionOf(await sign(rsa, claims()))).toEqual({ code: 'token_unknown_key', status: 401 });
  });

  it('refreshes the JWKS after its cache lifetime even for known kids', async () => {
    await verifier.verify(await sign(rsa));
    clock += 601_000;
    await verifier.verify(await sign(rsa, claims()));
    expect(jwksHits).toBe(2);
  });

  it('refuses a token without a user id claim', async () => {
    const payload = claims();
    delete payload.preferred_username;
    expect(await rejectionOf(await sign(rsa, payload))).toEqual({ code: 'token_invalid', status: 401 });
  });

  it('refuses a token without exp', async () => {
    const payload = claims();
    delete payload.exp;
    expect(await rejectionOf(await sign(rsa, payload))).toEqual({ code: 'token_invalid', status: 401 });
  });
});

describe('issuer config', () => {
  const base = { id: 'x', issuer: ISSUER, audience: AUDIENCE, jwks_uri: 'https://idp.example.test/jwks' };
  it.each(['none', 'HS256', 'HS512'])('refuses algorithm %s', (alg) => {
    expect(oidcIssuerSchema.safeParse({ ...base, algorithms: [alg] }).success).toBe(false);
  });
  it('bounds the clock skew', () => {
    expect(oidcIssuerSchema.safeParse({ ...base, clock_skew_seconds: 3600 }).success).toBe(false);
  });
});

describe('identity provider outage', () => {
  it('answers 503 identity_provider_unavailable when the JWKS was never fetched', async () => {
    const issuer = oidcIssuerSchema.parse({ id: 'down', issuer: ISSUER, audience: AUDIENCE, jwks_uri: 'http://127.0.0.1:9/jwks' });
    const down = createOidcVerifier({ issuers: [issuer], now: () => clock });
    const error = await down.verify(await sign(rsa)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'identity_provider_unavailable', status: 503 });
  });
});

describe('over HTTP', () => {
  it('answers 401 with the specific code in the OpenAI error body', async () => {
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    const authenticator = createCompositeAuthenticator({ oidc: verifier });
    app.get('/whoami', async (request) => authenticator.authenticate({ headers: request.headers, clientAddress: request.ip }));
    const call = (token: string) => app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Bearer ${token}` } });
    const ok = await call(await sign(rsa));
    expect([ok.statusCode, ok.json<{ id: string }>().id]).toEqual([200, 'alice']);
    const cases: Array<[string, string]> = [
      [await sign(rsa, claims({ exp: seconds() - 600 })), 'token_expired'],
      [`${b64({ alg: 'none' })}.${b64(claims())}.`, 'token_algorithm_not_allowed'],
      [await sign(rsa, claims({ aud: 'other' })), 'token_audience_mismatch'],
    ];
    for (const [token, code] of cases) {
      const response = await call(token);
      expect([response.statusCode, response.json<{ error: { code: string; type: string } }>().error]).toEqual([
        401,
        expect.objectContaining({ code, type: 'authentication_error' }),
      ]);
    }
    await app.close();
  });
});
