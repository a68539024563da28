import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import type { StreamPart } from '../../model/stream-part.js';
import { encodeEventStreamFixture, EVENT_STREAM_CONTENT_TYPE } from '../../../test/support/event-stream-fixture.js';
import { CONFORMANCE_REQUESTS } from '../../../test/support/providers/conformance-requests.js';
import { FixtureTransport, readFixture } from '../../../test/support/providers/fixture-transport.js';
import { runProviderConformance } from '../../../test/support/providers/provider-conformance.js';
import { createBedrockAdapterWith } from './index.js';

const FIXTURES = fileURLToPath(new URL('./__fixtures__', import.meta.url));
const deployment = deploymentSchema.parse({
  id: 'bedrock-frankfurt',
  tier: 'private-cloud',
  provider: 'bedrock',
  base_url: 'https://bedrock-runtime.eu-central-1.amazonaws.com',
  bedrock: { region: 'eu-central-1', credentials: { source: 'static', access_key_id: '${env:AWS_KEY_ID}', secret_access_key: '${env:AWS_SECRET}' } },
  models: {
    'test-model': 'anthropic.claude-3-5-haiku-20241022-v1:0',
    'test-embedding-model': 'cohere.embed-english-v3',
    'test-embed': 'cohere.embed-multilingual-v3',
    titan: 'amazon.titan-embed-text-v2:0',
  },
});
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
const create = (transport: FixtureTransport) =>
  createBedrockAdapterWith({ deployment, apiKey: undefined, transport }, { credentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRET }), now: () => NOW });
const signal = new AbortController().signal;
const MODEL_PATH = '/model/anthropic.claude-3-5-haiku-20241022-v1%3A0';

runProviderConformance({
  name: 'bedrock',
  createAdapter: create,
  fixtures: {
    directory: FIXTURES,
    paths: { chat: `${MODEL_PATH}/converse`, chatStream: `${MODEL_PATH}/converse-stream`, embeddings: '/model/cohere.embed-english-v3/invoke' },
    headers: { 'content-type': 'application/json', 'x-amz-date': '20261202T060000Z', host: 'bedrock-runtime.eu-central-1.amazonaws.com' },
    stream: { suffix: '.response.events.json', contentType: EVENT_STREAM_CONTENT_TYPE, encode: encodeEventStreamFixture },
  },
});

describe('bedrock specifics', () => {
  it('signs with SigV4 for the bedrock service in the configured region, over the exact body sent', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'chat.response.json') });
    await create(transport).chat(CONFORMANCE_REQUESTS.chat, { signal, body: '{"messages":[]}' });
    const sent = transport.lastRequest();
    expect(sent.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/20261202\/eu-central-1\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect(sent.body).toBe('{"messages":[]}');
    expect(JSON.stringify(sent.headers)).not.toContain(SECRET);
  });

  it('asks for the event stream on converse-stream', async () => {
    const transport = new FixtureTransport().enqueue({ body: encodeEventStreamFixture(readFixture(FIXTURES, 'chat-stream.response.events.json')) });
    const stream = await create(transport).chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal });
    for await (const _part of stream) void _part;
    expect(transport.lastRequest().headers.accept).toBe(EVENT_STREAM_CONTENT_TYPE);
  });

  it('turns a throttlingException frame mid-stream into upstream_stream_interrupted carrying its message', async () => {
    const transport = new FixtureTransport().enqueue({ body: encodeEventStreamFixture(readFixture(FIXTURES, 'stream-throttled.response.events.json')) });
    const stream = await create(transport).chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal });
    const parts: StreamPart[] = [];
    const error = await (async () => {
      for await (const part of stream) parts.push(part);
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_stream_interrupted', message: expect.stringContaining('throttlingException: Too many tokens') });
    expect(parts.map((part) => part.type)).toEqual(['start', 'text-delta']);
  });

  it('rejects a frame whose checksum does not match as a broken stream', async () => {
    const bytes = encodeEventStreamFixture(readFixture(FIXTURES, 'chat-stream.response.events.json'));
    bytes[40] = (bytes[40] ?? 0) ^ 0xff;
    const transport = new FixtureTransport().enqueue({ body: bytes });
    const stream = await create(transport).chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal });
    const error = await (async () => {
      for await (const _part of stream) void _part;
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'upstream_stream_interrupted', message: expect.stringContaining('corrupt event-stream frame') });
  });

  it('maps a 403 signature mismatch to upstream_auth_failed', async () => {
    const transport = new FixtureTransport().enqueue({ status: 403, body: readFixture(FIXTURES, 'error-403-signature.json') });
    await expect(create(transport).chat(CONFORMANCE_REQUESTS.chat, { signal })).rejects.toMatchObject({ code: 'upstream_auth_failed', upstreamStatus: 403 });
  });

  it('embeds with Titan one input per request, and refuses a Titan batch naming the remedy', async () => {
    const transport = new FixtureTransport().enqueue({ body: readFixture(FIXTURES, 'titan-embedding.response.json') });
    const adapter = create(transport);
    const response = await adapter.embed({ model: 'titan', input: ['hello'], dimensions: 256 }, { signal });
    expect(transport.lastRequest().path).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(transport.lastRequest().json).toEqual({ inputText: 'hello', dimensions: 256 });
    expect(response).toMatchObject({ embeddings: [[0.0312, -0.0137, 0.0481, 0.0055]], usage: { inputTokens: 7 } });
    expect(() => adapter.describeOutbound({ operation: 'embeddings', request: { model: 'titan', input: ['a', 'b'] } })).toThrow(
      expect.objectContaining({ code: 'invalid_request', message: expect.stringContaining('one input per request') }),
    );
  });

  it('refuses embeddings for a model that is neither Titan nor Cohere', () => {
    const adapter = create(new FixtureTransport());
    expect(() => adapter.describeOutbound({ operation: 'embeddings', request: { model: 'test-model', input: ['a'] } })).toThrow(
      expect.objectContaining({ code: 'unsupported_feature' }),
    );
  });

  it('counts tokens with CountTokens over the Converse body', async () => {
    const transport = new FixtureTransport().enqueue({ body: '{"inputTokens": 21}' });
    const counted = await create(transport).countTokens?.(CONFORMANCE_REQUESTS.chat, { signal });
    expect(counted).toEqual({ inputTokens: 21 });
    const sent = transport.lastRequest();
    expect(sent.path).toBe(`${MODEL_PATH}/count-tokens`);
    expect(sent.json).toEqual({
      input: { converse: { messages: [{ role: 'user', content: [{ text: 'Say hello.' }] }], system: [{ text: 'You are terse.' }] } },
    });
  });
});
