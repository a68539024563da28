import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createAzureOpenAIAdapter, DEFAULT_AZURE_API_VERSION } from './index.js';

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
