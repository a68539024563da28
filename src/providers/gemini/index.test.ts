import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createGeminiAdapter } from './index.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const deployment = deploymentSchema.parse({
  id: 'gemini-main',
  tier: 'api',
  provider: 'gemini',
  base_url: 'https://generativelanguage.googleapis.com/v1beta',
  models: { 'test-model': 'gemini-2.0-flash', 'test-embedding-model': 'models/text-embedding-004' },
});
const create = (transport: FixtureTransport) => createGeminiAdapter({ deployment, apiKey: 'test-key', transport });
const signal = new AbortController().signal;

runProviderConformance({
  name: 'gemini',
  createAdapter: create,
  fixtures: {
    directory: FIXTURES,
    paths: {
      chat: '/models/gemini-2.0-flash:generateContent',
      chatStream: '/models/gemini-2.0-flash:streamGenerateContent?alt=sse',
      embeddings: '/models/text-embedding-004:batchEmbedContents',
    },
    headers: { 'x-goog-api-key': 'test-key', 'content-type': 'application/json' },
  },
});

describe('gemini specifics', () => {
  it('treats a 400 API_KEY_INVALID as the gateway credentials failing, not the client request', async () => {
    const transport = new FixtureTransport().enqueue({ status: 400, body: readFixture(FIXTURES, 'error-400-api-key.json') });
    await expect(create(transport).chat(CONFORMANCE_REQUESTS.chat, { signal })).rejects.toMatchObject({
      code: 'upstream_auth_failed',
      status: 502,
    });
  });

  it('mints tool-call ids, since the public API sends none', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'tool-call.response.json') });
    const response = await create(transport).chat(CONFORMANCE_REQUESTS.toolCall, { signal });
    expect(response.choices[0]?.message.toolCalls?.[0]?.id).toMatch(/^call_[0-9a-f]{24}$/);
  });

  it('maps json_schema response formats and n to generationConfig', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'chat.response.json') });
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    await create(transport).chat(
      { ...CONFORMANCE_REQUESTS.multimodal, n: 2, seed: 7, responseFormat: { type: 'json_schema', name: 'a', schema } },
      { signal },
    );
    expect(transport.lastRequest().json).toMatchObject({
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: schema, candidateCount: 2, seed: 7 },
    });
  });

  it('reports a prompt blocked by safety filters as content_filter', async () => {
    const blocked = { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 }, modelVersion: 'gemini-2.0-flash' };
    const transport = new FixtureTransport().enqueue({ body: JSON.stringify(blocked) });
    const response = await create(transport).chat(CONFORMANCE_REQUESTS.chat, { signal });
    expect(response.choices).toEqual([{ index: 0, message: { content: null }, finishReason: 'content_filter' }]);
  });
});
