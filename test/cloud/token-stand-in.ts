/**
 * A loopback stand-in for the identity side of Google Cloud and Microsoft Entra ID, and for the
 * APIs that accept their tokens. It issues JWT access tokens signed with its own key and serves
 * that key as a JWKS; the API routes verify every bearer token against it (jose) — signature,
 * audience and expiry by the stand-in's clock — and refuse a wrong or expired token with the
 * vendor's 401. Token endpoints check what the real ones check:
 *
 * - Google STS (`POST /google/v1/token`, the token_url of an external-account credentials
 *   file): a token exchange whose subject token is a JWT from the workload's OIDC issuer (also
 *   this stand-in) for the configured pool audience.
 * - Entra ID (`/{tenant}/v2.0/.well-known/openid-configuration`, `/{tenant}/oauth2/v2.0/token`):
 *   the client-credentials grant with the app's client secret, or with a federated client
 *   assertion (workload identity): a JWT from the workload's OIDC issuer for
 *   `api://AzureADTokenExchange` whose subject is the app's federated credential subject. MSAL
 *   insists on https, so the stand-in listens on both http and https (a certificate made for
 *   127.0.0.1 at start-up).
 * - The App Service managed identity endpoint (`GET /msi/token`, IDENTITY_ENDPOINT): checks the
 *   X-IDENTITY-HEADER secret, the api-version and the resource, and answers App Service's token
 *   JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JSONWebKeySet } from 'jose';

export const WORKLOAD_ISSUER = 'https://oidc.workload.standin.test';
export const GOOGLE_ISSUER = 'https://sts.standin.test';
export const VERTEX_AUDIENCE = 'https://aiplatform.googleapis.com/';
export const AZURE_AUDIENCE = 'https://cognitiveservices.azure.com';
/** The audience Entra requires of a federated (workload identity) client assertion. */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';

export interface TokenStandInOptions {
  /** The workload identity pool provider the STS accepts subject tokens for. */
  googleAudience: string;
  entra: {
    tenant: string;
    clientId: string;
    clientSecret: string;
    /** The federated credential's subject (issuer is WORKLOAD_ISSUER) for the assertion grant. */
    federatedSubject?: string;
    /** The X-IDENTITY-HEADER value the managed identity endpoint accepts. */
    identityHeader?: string;
  };
  /** Replies of the API routes (JSON text). */
  replies: { vertex: string; azure: string };
  tokenLifetimeSeconds?: number;
  now?: () => number;
}

export interface TokenStandIn {
  httpUrl: string;
  httpsUrl: string;
  /** PEM of the https certificate, for the client to trust. */
  certificate: string;
  /** Signs a JWT as the workload's OIDC issuer (what a Kubernetes projected token would be). */
  workloadToken(claims: { audience: string; subject: string; expiresInSeconds?: number }): Promise<string>;
  /** Token endpoint calls and API refusals, for assertions. */
  issued: Array<{ kind: 'google' | 'entra' | 'entra-federated' | 'managed-identity'; subject: string }>;
  /** The managed identity endpoint accepts this header from now on (the host rotated it). */
  rotateIdentityHeader(value: string): void;
  refusals: Array<{ route: string; reason: string }>;
  /** Bodies the API routes accepted. */
  accepted: Array<{ route: string; body: string }>;
  close(): Promise<void>;
}

export async function startTokenStandIn(options: TokenStandInOptions): Promise<TokenStandIn> {
  const now = options.now ?? Date.now;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwks: JSONWebKeySet = { keys: [{ ...(await exportJWK(publicKey)), kid: 'standin-1', alg: 'ES256', use: 'sig' }] };
  const keySet = createLocalJWKSet(jwks);
  const issued: TokenStandIn['issued'] = [];
  const refusals: TokenStandIn['refusals'] = [];
  const accepted: TokenStandIn['accepted'] = [];
  let identityHeader = options.entra.identityHeader;
  // MSAL requires the issuer to be on the authority's origin.
  const entraIssuer = (tenant: string) => `${httpsUrl}/${tenant}/v2.0`;

  const sign = (key: CryptoKey, claims: Record<string, unknown>, issuer: string, audience: string, subject: string, expiresInSeconds: number) => {
    const seconds = Math.floor(now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'standin-1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(subject)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + expiresInSeconds)
      .sign(key);
  };
  const verify = async (token: string, issuer: string, audience: string) =>
    jwtVerify(token, keySet, { issuer, audience, currentDate: new Date(now()), algorithms: ['ES256'] });

  const json = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };

  async function googleToken(form: URLSearchParams, response: ServerResponse): Promise<void> {
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:token-exchange' || form.get('audience') !== options.googleAudience) {
      return json(response, 400, { error: 'invalid_request', error_description: 'unexpected grant or audience' });
    }
    let subject: string;
    try {
      subject = String((await verify(form.get('subject_token') ?? '', WORKLOAD_ISSUER, options.googleAudience)).payload.sub);
    } catch (error) {
      refusals.push({ route: 'google-sts', reason: (error as Error).name });
      // Like STS, quote what was wrong — the gateway must not pass this on.
      return json(response, 400, { error: 'invalid_grant', error_description: `The subject token ${form.get('subject_token') ?? ''} is invalid.` });
    }
    issued.push({ kind: 'google', subject });
    const accessToken = await sign(privateKey, { scope: form.get('scope') }, GOOGLE_ISSUER, VERTEX_AUDIENCE, subject, lifetime);
    json(response, 200, { access_token: accessToken, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: lifetime });
  }

  async function entraToken(form: URLSearchParams, response: ServerResponse): Promise<void> {
    const { clientId, clientSecret } = options.entra;
    if (form.get('grant_type') !== 'client_credentials') return json(response, 400, { error: 'unsupported_grant_type' });
    if (form.get('client_assertion_type') === 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') return entraFederated(form, response);
    if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
      refusals.push({ route: 'entra-token', reason: 'invalid_client' });
      return json(response, 401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value, not '${form.get('client_secret') ?? ''}'.`,
        error_codes: [7000215],
      });
    }
    if (!(form.get('scope') ?? '').split(' ').includes(`${AZURE_AUDIENCE}/.default`)) return json(response, 400, { error: 'invalid_scope' });
    issued.push({ kind: 'entra', subject: clientId });
    const accessToken = await sign(privateKey, { appid: clientId, tid: options.entra.tenant }, entraIssuer(options.entra.tenant), AZURE_AUDIENCE, clientId, lifetime);
    json(response, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  /** Workload identity: the client assertion is the federated token, checked like Entra's federated credential. */
  async function entraFederated(form: URLSearchParams, response: ServerResponse): Promise<void> {
    const { clientId, tenant, federatedSubject } = options.entra;
    const assertion = form.get('client_assertion') ?? '';
    let subject = '';
    try {
      subject = String((await verify(assertion, WORKLOAD_ISSUER, FEDERATION_AUDIENCE)).payload.sub);
    } catch (error) {
      refusals.push({ route: 'entra-token', reason: (error as { code?: string }).code ?? (error as Error).name });
    }
    if (form.get('client_id') !== clientId || federatedSubject === undefined || subject !== federatedSubject) {
      if (subject !== '') refusals.push({ route: 'entra-token', reason: 'no_matching_federated_credential' });
      // Like Entra, quote the assertion — the gateway must not pass this on.
      return json(response, 400, {
        error: 'invalid_client',
        error_description: `AADSTS700211: No matching federated identity record found for presented assertion '${assertion}'.`,
        error_codes: [700211],
      });
    }
    if (!(form.get('scope') ?? '').split(' ').includes(`${AZURE_AUDIENCE}/.default`)) return json(response, 400, { error: 'invalid_scope' });
    issued.push({ kind: 'entra-federated', subject });
    const accessToken = await sign(privateKey, { appid: clientId, tid: tenant }, entraIssuer(tenant), AZURE_AUDIENCE, clientId, lifetime);
    json(response, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken });
  }

  /** App Service's managed identity endpoint: the host's secret header, api-version 2019-08-01, a resource. */
  async function managedIdentity(request: IncomingMessage, query: URLSearchParams, response: ServerResponse): Promise<void> {
    const header = request.headers['x-identity-header'];
    if (identityHeader === undefined || header !== identityHeader) {
      refusals.push({ route: 'managed-identity', reason: 'bad_identity_header' });
      return json(response, 401, { statusCode: 401, message: `Unauthorized: X-IDENTITY-HEADER '${String(header)}' does not match.` });
    }
    const resource = query.get('resource');
    if (query.get('api-version') !== '2019-08-01' || resource !== AZURE_AUDIENCE) {
      refusals.push({ route: 'managed-identity', reason: 'bad_request' });
      return json(response, 400, { statusCode: 400, message: 'Bad request: api-version or resource' });
    }
    const principal = query.get('client_id') ?? 'system-assigned';
    issued.push({ kind: 'managed-identity', subject: principal });
    const accessToken = await sign(privateKey, { tid: options.entra.tenant }, entraIssuer(options.entra.tenant), AZURE_AUDIENCE, principal, lifetime);
    json(response, 200, { access_token: accessToken, expires_on: String(Math.floor(now() / 1000) + lifetime), resource, token_type: 'Bearer', client_id: principal });
  }

  /** The API side: a bearer token this stand-in issued, for the right audience, not expired. */
  async function api(route: 'vertex' | 'azure', request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
    try {
      await (route === 'vertex' ? verify(token, GOOGLE_ISSUER, VERTEX_AUDIENCE) : verify(token, entraIssuer(options.entra.tenant), AZURE_AUDIENCE));
    } catch (error) {
      const reason = (error as { code?: string }).code ?? (error as Error).name;
      refusals.push({ route, reason });
      return route === 'vertex'
        ? json(response, 401, { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token.', status: 'UNAUTHENTICATED' } })
        : json(response, 401, { error: { code: reason === 'ERR_JWT_EXPIRED' ? 'ExpiredToken' : 'InvalidToken', message: 'Access token is missing, invalid, audience is incorrect, or have expired.' } });
    }
    accepted.push({ route, body });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(options.replies[route]);
  }

  async function handle(request: IncomingMessage, response: ServerResponse, baseUrl: () => string): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    const tenant = options.entra.tenant;
    if (path === '/jwks') return json(response, 200, jwks);
    if (path === '/msi/token' && request.method === 'GET') return managedIdentity(request, url.searchParams, response);
    if (path === '/google/v1/token' && request.method === 'POST') return googleToken(new URLSearchParams(body), response);
    if (path === `/${tenant}/v2.0/.well-known/openid-configuration`) {
      return json(response, 200, {
        issuer: entraIssuer(tenant),
        token_endpoint: `${baseUrl()}/${tenant}/oauth2/v2.0/token`,
        authorization_endpoint: `${baseUrl()}/${tenant}/oauth2/v2.0/authorize`,
        jwks_uri: `${baseUrl()}/jwks`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
      });
    }
    if (path === `/${tenant}/oauth2/v2.0/token` && request.method === 'POST') return entraToken(new URLSearchParams(body), response);
    if (path.startsWith('/vertex/')) return api('vertex', request, body, response);
    if (path.startsWith('/azure/')) return api('azure', request, body, response);
    json(response, 404, { error: 'not_found' });
  }

  const directory = mkdtempSync(join(tmpdir(), 'token-stand-in-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { cwd: directory, stdio: 'pipe' });
  const certificate = readFileSync(join(directory, 'cert.pem'), 'utf8');

  let httpUrl = '';
  let httpsUrl = '';
  const onError = (response: ServerResponse) => () => json(response, 500, { error: 'stand-in failure' });
  const plain: Server = createHttpServer((request, response) => void handle(request, response, () => httpUrl).catch(onError(response)));
  const secure = createHttpsServer({ key: readFileSync(join(directory, 'key.pem')), cert: certificate }, (request, response) => void handle(request, response, () => httpsUrl).catch(onError(response)));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
  httpsUrl = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;

  return {
    httpUrl,
    httpsUrl,
    certificate,
    workloadToken: ({ audience, subject, expiresInSeconds }) => sign(privateKey, {}, WORKLOAD_ISSUER, audience, subject, expiresInSeconds ?? 3600),
    issued,
    rotateIdentityHeader: (value) => {
      identityHeader = value;
    },
    refusals,
    accepted,
    close: async () => {
      await Promise.all([plain, secure].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
