import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentSchema, type DeploymentConfig } from '../../src/assembly/config-schema.js';
import { createAzureOpenAIAdapterWith } from '../../src/providers/azure-openai/index.js';
import { createAdapter } from '../../src/providers/registry.js';
import { createUpstreamPool } from '../../src/providers/upstream-pool.js';
import { createVertexAdapterWith } from '../../src/providers/vertex/index.js';
import { CONFORMANCE_REQUESTS } from '../support/providers/conformance-requests.js';
import { startTokenStandIn, type TokenStandIn } from './token-stand-in.js';

/**
 * Vertex AI and Azure OpenAI (Entra ID) against loopback stand-ins for Google STS, Entra ID and
 * the two APIs (token-stand-in.ts). The identity libraries do the real work —
 * google-auth-library's external-account token exchange, @azure/identity's client-credentials
 * grant through MSAL — and the APIs verify the JWT they receive against the stand-in's JWKS.
 */
const fixture = (path: string) => readFileSync(fileURLToPath(new URL(`../../src/providers/${path}`, import.meta.url)), 'utf8');
const POOL_AUDIENCE = '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/switchyard/providers/standin';
const ENTRA = { tenant: 'standin-tenant', clientId: '0f3b6a52-1c7e-4b8e-9d2a-5e6f7a8b9c0d', clientSecret: 'Qw8~standin.entra.secret_0123456789abcdef' };
const signal = new AbortController().signal;
const chat = { ...CONFORMANCE_REQUESTS.chat, model: 'chat' };

let standIn: TokenStandIn;
let now = Date.now();
const directory = mkdtempSync(join(tmpdir(), 'cloud-identities-'));

beforeAll(async () => {
  standIn = await startTokenStandIn({
    googleAudience: POOL_AUDIENCE,
    entra: ENTRA,
    replies: { vertex: fixture('vertex/__fixtures__/gemini/chat.response.json'), azure: fixture('azure-openai/__fixtures__/chat.response.json') },
    now: () => now,
  });
});
afterAll(() => standIn.close());

/** An external-account (workload identity federation) credentials file whose token_url is the stand-in. */
function externalAccountFile(subjectToken: string, name: string): string {
  const tokenFile = join(directory, `${name}.jwt`);
  writeFileSync(tokenFile, subjectToken);
  const path = join(directory, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      type: 'external_account',
      audience: POOL_AUDIENCE,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${standIn.httpUrl}/google/v1/token`,
      credential_source: { file: tokenFile },
    }),
  );
  return path;
}

function vertexDeployment(keyFile: string): DeploymentConfig {
  return deploymentSchema.parse({
    id: 'vertex-standin',
    tier: 'private-cloud',
    provider: 'vertex',
    base_url: `${standIn.httpUrl}/vertex/v1`,
    vertex: { project: 'acme-genai-prod', location: 'europe-west4', credentials: { source: 'key-file', path: keyFile } },
    models: { chat: 'gemini-2.0-flash' },
  });
}

describe('vertex with workload identity federation (google-auth-library → local STS)', () => {
  it('exchanges the workload token at the token_url and calls Vertex with a token the API verifies', async () => {
    const subject = await standIn.workloadToken({ audience: POOL_AUDIENCE, subject: 'system:serviceaccount:ai:switchyard' });
    const adapter = createAdapter(vertexDeployment(externalAccountFile(subject, 'good')), () => '');
    const response = await adapter.chat(chat, { signal });
    expect(response.choices[0]?.message.content).toBe('Hello! How can I help you today?');
    expect(standIn.issued.at(-1)).toEqual({ kind: 'google', subject: 'system:serviceaccount:ai:switchyard' });
    expect(standIn.accepted.at(-1)?.route).toBe('vertex');
    await adapter.close();
  });

  it('a workload token from another issuer key is refused by STS: upstream_auth_failed, without the token', async () => {
    const forged = `${(await standIn.workloadToken({ audience: POOL_AUDIENCE, subject: 'x' })).slice(0, -8)}AAAAAAAA`;
    const adapter = createAdapter(vertexDeployment(externalAccountFile(forged, 'forged')), () => '');
    const error = await adapter.chat(chat, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', message: expect.stringContaining('the Google credentials file') });
    expect(String((error as Error).message)).not.toContain(forged.slice(0, 20));
    expect(standIn.refusals.at(-1)?.route).toBe('google-sts');
    await adapter.close();
  });

  it('the API refuses a token it did not issue and an expired one', async () => {
    const deployment = vertexDeployment(join(directory, 'unused.json'));
    const forged = createVertexAdapterWith(
      { deployment, apiKey: undefined, transport: createUpstreamPool(deployment) },
      { accessToken: async () => ({ value: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', expiresAt: now + 3600_000 }) },
    );
    await expect(forged.chat(chat, { signal })).rejects.toMatchObject({ code: 'upstream_auth_failed', upstreamStatus: 401 });
    await forged.close();

    const subject = await standIn.workloadToken({ audience: POOL_AUDIENCE, subject: 'system:serviceaccount:ai:switchyard' });
    const adapter = createAdapter(vertexDeployment(externalAccountFile(subject, 'later')), () => '');
    await adapter.chat(chat, { signal });
    now += 2 * 3600_000; // the stand-in's clock: the token it issued has expired
    try {
      await expect(adapter.chat(chat, { signal })).rejects.toMatchObject({ code: 'upstream_auth_failed', upstreamStatus: 401 });
      expect(standIn.refusals.at(-1)).toEqual({ route: 'vertex', reason: 'ERR_JWT_EXPIRED' });
    } finally {
      now = Date.now();
      await adapter.close();
    }
  });
});

function azureDeployment(secretReference = '${env:AZURE_CLIENT_SECRET}'): DeploymentConfig {
  return deploymentSchema.parse({
    id: 'azure-entra-standin',
    tier: 'private-cloud',
    provider: 'azure-openai',
    base_url: `${standIn.httpUrl}/azure`,
    auth: 'entra',
    entra: { credential: 'client-secret', tenant_id: ENTRA.tenant, client_id: ENTRA.clientId, client_secret: secretReference, authority_host: standIn.httpsUrl },
    models: { chat: 'gpt-4o-mini-prod' },
  });
}

function azureAdapter(secret: string) {
  const deployment = azureDeployment();
  return createAzureOpenAIAdapterWith(
    { deployment, apiKey: undefined, transport: createUpstreamPool(deployment), resolveSecret: () => secret },
    // Only the trust for the stand-in's certificate and skipping Microsoft's instance discovery are test-specific.
    { credentialOptions: { tlsOptions: { ca: standIn.certificate }, disableInstanceDiscovery: true } as never },
  );
}

describe('azure-openai with Entra ID (@azure/identity → local authority)', () => {
  it('gets a token with the client secret and calls Azure OpenAI with it; the API verifies it', async () => {
    const adapter = azureAdapter(ENTRA.clientSecret);
    const response = await adapter.chat(chat, { signal });
    expect(response.choices[0]?.message.content).toBeTruthy();
    expect(standIn.issued.at(-1)).toEqual({ kind: 'entra', subject: ENTRA.clientId });
    expect(standIn.accepted.at(-1)?.route).toBe('azure');
    await adapter.close();
  });

  it('a wrong client secret is upstream_auth_failed naming Entra and invalid_client, never the secret', async () => {
    const wrong = 'Qw8~WRONG.entra.secret_0123456789abcdef';
    const adapter = azureAdapter(wrong);
    const error = await adapter.chat(chat, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', message: expect.stringContaining('Entra ID (client-secret)') });
    expect((error as Error).message).not.toContain(wrong);
    expect((error as Error).message).not.toContain('AADSTS');
    expect(standIn.refusals.at(-1)).toEqual({ route: 'entra-token', reason: 'invalid_client' });
    await adapter.close();
  });
});
