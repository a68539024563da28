import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema, type DeploymentConfig } from '../../assembly/config-schema.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createOpenAICompatibleAdapter } from './index.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__', import.meta.url));

function deployment(overrides: Partial<DeploymentConfig> = {}): DeploymentConfig {
  return deploymentSchema.parse({
    id: 'openai-main',
    tier: 'api',
    provider: 'openai-compatible',
    base_url: 'https://api.openai.com/v1',
    headers: { 'OpenAI-Organization': 'org-test' },
    models: { 'test-model': 'gpt-4o-mini', 'test-embedding-model': 'text-embedding-3-small' },
    ...overrides,
  });
}

runProviderConformance({
  name: 'openai-compatible',
  createAdapter: (transport) => createOpenAICompatibleAdapter({ deployment: deployment(), apiKey: 'test-key', transport }),
  fixtures: {
    directory: FIXTURES,
    paths: { chat: '/chat/completions', chatStream: '/chat/completions', embeddings: '/embeddings' },
    headers: { authorization: 'Bearer test-key', 'content-type': 'application/json', 'openai-organization': 'org-test' },
  },
});

describe('openai-compatible configurations', () => {
  const signal = new AbortController().signal;

  it('serves a keyless local server (Ollama, vLLM) with max_tokens and no Authorization header', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'chat.response.json') });
    const adapter = createOpenAICompatibleAdapter({
      deployment: deployment({ base_url: 'http://localhost:11434/v1', models: {}, headers: {} }),
      apiKey: undefined,
      transport,
    });
    await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    const sent = transport.lastRequest();
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.json).toMatchObject({ model: 'test-model', max_tokens: 64 });
    expect(sent.json).not.toHaveProperty('max_completion_tokens');
  });

  it('does not let extra headers replace the configured credentials', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'chat.response.json') });
    const adapter = createOpenAICompatibleAdapter({
      deployment: deployment({ headers: { Authorization: 'Bearer other' } }),
      apiKey: 'test-key',
      transport,
    });
    await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
    expect(transport.lastRequest().headers.authorization).toBe('Bearer test-key');
  });

  it('re-throws the client abort reason instead of reporting an upstream failure', async () => {
    const controller = new AbortController();
    const reason = new Error('client went away');
    controller.abort(reason);
    const transport = new FixtureTransport().enqueue({ body: '', fail: new Error('aborted') });
    const adapter = createOpenAICompatibleAdapter({ deployment: deployment(), apiKey: 'test-key', transport });
    await expect(adapter.chat(CONFORMANCE_REQUESTS.chat, { signal: controller.signal })).rejects.toBe(reason);
  });
});
