import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createAzureOpenAIAdapter, createAzureOpenAIAdapterWith, DEFAULT_AZURE_API_VERSION } from './index.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const deployment = deploymentSchema.parse({
  id: 'azure-westeurope',
  tier: 'private-cloud',
  provider: 'azure-openai',
  base_url: 'https://contoso-weu.openai.azure.com',
  api_version: '2024-10-21',
  models: { 'test-model': 'gpt-4o-mini-prod', 'test-embedding-model': 'embedding-small' },
});

runProviderConformance({
  name: 'azure-openai',
  createAdapter: (transport) => createAzureOpenAIAdapter({ deployment, apiKey: 'test-key', transport }),
  fixtures: {
    directory: FIXTURES,
    paths: {
      chat: '/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21',
      chatStream: '/openai/deployments/gpt-4o-mini-prod/chat/completions?api-version=2024-10-21',
      embeddings: '/openai/deployments/embedding-small/embeddings?api-version=2024-10-21',
    },
    headers: { 'api-key': 'test-key', 'content-type': 'application/json' },
  },
});

describe('azure-openai specifics', () => {
  it('sends no Authorization header and defaults the api-version', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'chat.response.json') });
    const { api_version: _unused, ...withoutVersion } = deployment;
    const adapter = createAzureOpenAIAdapter({ deployment: { ...withoutVersion, models: {} }, apiKey: 'test-key', transport });
    await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal: new AbortController().signal });
    const sent = transport.lastRequest();
    expect(sent.path).toBe(`/openai/deployments/test-model/chat/completions?api-version=${DEFAULT_AZURE_API_VERSION}`);
    expect(sent.headers.authorization).toBeUndefined();
  });
});

describe('azure-openai with Entra ID (auth: entra)', () => {
  const entraDeployment = deploymentSchema.parse({
    ...deployment,
    id: 'azure-entra',
    auth: 'entra',
    entra: { credential: 'client-secret', tenant_id: 'contoso.onmicrosoft.com', client_id: '00000000-0000-0000-0000-000000000001', client_secret: '${env:AZURE_CLIENT_SECRET}' },
  });
  const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
  const signal = new AbortController().signal;
  const chatReply = () => ({ body: readFixture(FIXTURES, 'chat.response.json') });

  it('sends the Entra token as a bearer header and no api-key, asking for the Cognitive Services scope', async () => {
    const scopes: Array<string | string[]> = [];
    const credential = {
      getToken: async (scope: string | string[]) => {
        scopes.push(scope);
        return { token: 'eyJ0eXAi.entra-token', expiresOnTimestamp: NOW + 3600_000 };
      },
    };
    const transport = new FixtureTransport().enqueue(chatReply());
    await createAzureOpenAIAdapterWith({ deployment: entraDeployment, apiKey: undefined, transport }, { credential, now: () => NOW }).chat(CONFORMANCE_REQUESTS.chat, { signal });
    expect(transport.lastRequest().headers).toMatchObject({ authorization: 'Bearer eyJ0eXAi.entra-token' });
    expect(transport.lastRequest().headers['api-key']).toBeUndefined();
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default']);
  });

  it('refreshes when the refresh_in hint is reached, before the token expires', async () => {
    let now = NOW;
    let issued = 0;
    const credential = {
      getToken: async () => {
        issued += 1;
        // Entra's refresh_in is half the lifetime for tokens of two hours and more.
        return { token: `token-${issued}`, expiresOnTimestamp: now + 7200_000, refreshAfterTimestamp: now + 3600_000 };
      },
    };
    const transport = new FixtureTransport();
    const adapter = createAzureOpenAIAdapterWith({ deployment: entraDeployment, apiKey: undefined, transport }, { credential, now: () => now });
    for (const minutes of [0, 59, 60, 61, 60 + 114, 60 + 115]) {
      now = NOW + minutes * 60_000;
      transport.enqueue(chatReply());
      await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    }
    // Minute 60: token-1's refresh_in is reached → token-2 (refresh at 120); minute 174 is past it → token-3.
    expect(transport.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer token-1',
      'Bearer token-1',
      'Bearer token-2',
      'Bearer token-2',
      'Bearer token-3',
      'Bearer token-3',
    ]);
  });

  it('keeps serving a still-valid token when a refresh fails, and fails with upstream_auth_failed once it expired', async () => {
    let now = NOW;
    let fail = false;
    const credential = {
      getToken: async () => {
        if (fail) throw Object.assign(new Error('AADSTS7000215: Invalid client secret provided. secret=abc123'), { name: 'AuthenticationError', errorResponse: { error: 'invalid_client' } });
        return { token: 'token-ok', expiresOnTimestamp: now + 3600_000 };
      },
    };
    const transport = new FixtureTransport();
    const adapter = createAzureOpenAIAdapterWith({ deployment: entraDeployment, apiKey: undefined, transport }, { credential, now: () => now });
    transport.enqueue(chatReply(), chatReply());
    await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    fail = true;
    now = NOW + 57 * 60_000;
    await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    expect(transport.lastRequest().headers.authorization).toBe('Bearer token-ok');
    now = NOW + 61 * 60_000;
    const error = await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_auth_failed', status: 502, retryable: false });
    expect((error as Error).message).toContain('Entra ID (client-secret)');
    expect((error as Error).message).toContain('invalid_client');
    expect((error as Error).message).not.toMatch(/abc123|AADSTS/);
    expect(transport.requests).toHaveLength(2);
  });

  it('drops a token the upstream refused (401), so the next call fetches a new one', async () => {
    let issued = 0;
    const credential = { getToken: async () => ({ token: `token-${++issued}`, expiresOnTimestamp: NOW + 3600_000 }) };
    const transport = new FixtureTransport().enqueue({ status: 401, body: readFixture(FIXTURES, 'error-401.json') }, chatReply());
    const adapter = createAzureOpenAIAdapterWith({ deployment: entraDeployment, apiKey: undefined, transport }, { credential, now: () => NOW });
    await expect(adapter.chat(CONFORMANCE_REQUESTS.chat, { signal })).rejects.toMatchObject({ code: 'upstream_auth_failed' });
    await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    expect(transport.requests.map((request) => request.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });
});
