import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import type { StreamPart } from '../../model/stream-part.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createAnthropicAdapter } from './index.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const deployment = deploymentSchema.parse({
  id: 'anthropic-main',
  tier: 'api',
  provider: 'anthropic',
  base_url: 'https://api.anthropic.com',
  headers: { 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
  models: { 'test-model': 'claude-sonnet-4-20250514' },
});
const create = (transport: FixtureTransport) => createAnthropicAdapter({ deployment, apiKey: 'test-key', transport });
const signal = new AbortController().signal;

runProviderConformance({
  name: 'anthropic',
  createAdapter: create,
  fixtures: {
    directory: FIXTURES,
    paths: { chat: '/v1/messages', chatStream: '/v1/messages' },
    headers: { 'x-api-key': 'test-key', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'token-efficient-tools-2025-02-19' },
  },
});

describe('anthropic specifics', () => {
  it('maps 529 overloaded to a retryable upstream_error', async () => {
    const transport = new FixtureTransport().enqueue({ status: 529, body: readFixture(FIXTURES, 'error-529.json') });
    await expect(create(transport).chat(CONFORMANCE_REQUESTS.chat, { signal })).rejects.toMatchObject({
      code: 'upstream_error',
      retryable: true,
      message: expect.stringContaining('Overloaded'),
    });
  });

  it('turns a mid-stream error event into upstream_stream_interrupted carrying its message', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'stream-overloaded.response.sse') });
    const stream = await create(transport).chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal });
    const parts: StreamPart[] = [];
    const error = await (async () => {
      for await (const part of stream) parts.push(part);
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_stream_interrupted', message: expect.stringContaining('overloaded_error') });
    expect(parts.map((part) => part.type)).toEqual(['start', 'text-delta']);
  });

  it('clamps temperature to 1, defaults max_tokens and merges consecutive user turns', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'chat.response.json') });
    await create(transport).chat(
      {
        model: 'claude-3-5-haiku-latest',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'one' }] },
          { role: 'user', content: [{ type: 'text', text: 'two' }, { type: 'image', url: 'https://example.com/cat.png' }] },
        ],
        temperature: 1.7,
        stream: false,
      },
      { signal },
    );
    expect(transport.lastRequest().json).toEqual({
      model: 'claude-3-5-haiku-latest',
      max_tokens: 4096,
      temperature: 1,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
          ],
        },
      ],
    });
  });

  it('counts cache reads and writes as input and reports each apart (1-hour writes too)', async () => {
    const body = JSON.parse(readFixture(FIXTURES, 'chat.response.json')) as { usage: Record<string, unknown> };
    body.usage = { input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 1000, output_tokens: 3, cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 2 } };
    const transport = new FixtureTransport().enqueue({ body: JSON.stringify(body) });
    const response = await create(transport).chat(CONFORMANCE_REQUESTS.chat, { signal });
    expect(response.usage).toEqual({ inputTokens: 1015, outputTokens: 3, cachedInputTokens: 1000, cacheWriteInputTokens: 5, cacheWrite1hInputTokens: 2 });
  });
});
