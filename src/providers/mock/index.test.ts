import { describe, expect, it } from 'vitest';
import { deploymentSchema } from '../../assembly/config-schema.js';
import { mockOptionsSchema } from './mock-options-schema.js';
import { UpstreamError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { HttpTransport } from '../http-transport.js';
import { createInProcessMockAdapter, createMockAdapter, getMockRequestLog, type MockAdapter } from './index.js';
import { runOutboundConformance } from '../../../test/support/providers/outbound-conformance.js';

const transport = {} as HttpTransport;
const request = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'mock-chat',
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  stream: false,
  ...extra,
});
const context = () => ({ signal: new AbortController().signal });

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UpstreamError);
  return error as UpstreamError;
}

describe('createMockAdapter (in-process)', () => {
  it('uses deployment.mock options, defaults when absent, and logs requests by deployment id', async () => {
    const deployment = deploymentSchema.parse({ id: 'mock-a', tier: 'on-prem', provider: 'mock' });
    const adapter = createMockAdapter({ deployment, apiKey: undefined, transport });
    const response = await adapter.chat(request('hello there'), context());
    expect(response.choices[0]?.message.content).toBe('hello there');
    expect(response.usage).toEqual({ inputTokens: 2, outputTokens: 2 });
    const log = getMockRequestLog('mock-a');
    expect(log?.entries().map((entry) => [entry.api, entry.path])).toEqual([['in-process', 'chat']]);
    expect(log?.entries()[0]?.body).toMatchObject({ messages: [{ content: [{ text: 'hello there' }] }] });

    const lorem = createMockAdapter({ deployment: { ...deployment, mock: mockOptionsSchema.parse({ reply: 'lorem', lorem_tokens: 5 }) }, apiKey: undefined, transport });
    expect((await lorem.chat(request('x'), context())).usage?.outputTokens).toBe(5);
  });

  it('streams start, deltas, finish and usage that reassemble to the reply', async () => {
    const adapter = createInProcessMockAdapter({ deploymentId: 'd' });
    const parts = await collect(await adapter.chatStream(request('one two 三', { stream: true }), context()));
    expect(parts.map((part) => part.type)).toEqual(['start', 'text-delta', 'text-delta', 'text-delta', 'finish', 'usage']);
    expect(parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('')).toBe('one two 三');
  });

  it('embeds deterministically', async () => {
    const adapter = createInProcessMockAdapter({ deploymentId: 'd', options: mockOptionsSchema.parse({ embedding_dimensions: 4 }) });
    const result = await adapter.embed({ model: 'e', input: ['a', 'b'] }, context());
    expect(result.embeddings.map((vector) => vector.length)).toEqual([4, 4]);
  });
});

describe('in-process faults throw what a real adapter would', () => {
  const adapter = createInProcessMockAdapter({ deploymentId: 'faulty' });

  it.each([
    ['error:503', 'upstream_error', 503],
    ['error:400', 'upstream_bad_request', 400],
    ['error:401', 'upstream_auth_failed', 401],
    ['rate_limit:7', 'upstream_rate_limited', 429],
  ])('%s → %s', async (spec, code, status) => {
    const error = await rejection(adapter.chat(request(`hi [[mock:fault=${spec}]]`), context()));
    expect(error.code).toBe(code);
    expect(error.upstreamStatus).toBe(status);
    expect(error.deployment).toBe('faulty');
    if (code === 'upstream_rate_limited') expect(error.retryAfterSeconds).toBe(7);
    if (code === 'upstream_bad_request') expect(error.status).toBe(400);
  });

  it('reset → upstream_unavailable, for chat, streams and embeddings', async () => {
    expect((await rejection(adapter.chat(request('[[mock:fault=reset]]'), context()))).code).toBe('upstream_unavailable');
    expect((await rejection(adapter.chatStream(request('[[mock:fault=reset]]', { stream: true }), context()))).code).toBe('upstream_unavailable');
    expect((await rejection(adapter.embed({ model: 'e', input: ['[[mock:fault=reset]]'] }, context()))).code).toBe('upstream_unavailable');
  });

  it('hang never settles until aborted, then rejects with the abort reason', async () => {
    const controller = new AbortController();
    const pending = adapter.chat(request('[[mock:fault=hang]]'), { signal: controller.signal });
    const outcome = await Promise.race([pending.then(() => 'settled', () => 'settled'), new Promise((resolve) => setTimeout(() => resolve('pending'), 30))]);
    expect(outcome).toBe('pending');
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('stream cut after N chunks: N deltas, then upstream_stream_interrupted, never a finish', async () => {
    const stream = await adapter.chatStream(request('a b c d e [[mock:fault=stream_cut:2]]', { stream: true }), context());
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const part of stream) seen.push(part.type);
      })(),
    );
    expect(error.code).toBe('upstream_stream_interrupted');
    expect(seen).toEqual(['start', 'text-delta', 'text-delta']);
  });

  it('stream cut at 0 fails on the first read, before the start part', async () => {
    const stream = await adapter.chatStream(request('x [[mock:fault=stream_cut:0]]', { stream: true }), context());
    const seen: string[] = [];
    await rejection((async () => {
      for await (const part of stream) seen.push(part.type);
    })());
    expect(seen).toEqual([]);
  });

  it('stall goes silent after N chunks until aborted', async () => {
    const controller = new AbortController();
    const stream = await adapter.chatStream(request('a b c [[mock:fault=stall:1]]', { stream: true }), { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'start' });
    expect((await iterator.next()).value).toMatchObject({ type: 'text-delta' });
    const next = iterator.next();
    setTimeout(() => controller.abort(), 20);
    await expect(next).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fault rates apply with an injected random source; deployment header forces a fault', async () => {
    const always = createInProcessMockAdapter({ deploymentId: 'r', options: mockOptionsSchema.parse({ faults: { error_rate: 0.5, error_status: 502 } }), random: () => 0.1 });
    expect((await rejection(always.chat(request('x'), context()))).upstreamStatus).toBe(502);
    const never = createInProcessMockAdapter({ deploymentId: 'r', options: mockOptionsSchema.parse({ faults: { error_rate: 0.5 } }), random: () => 0.9 });
    await expect(never.chat(request('x'), context())).resolves.toBeDefined();
    const deployment = deploymentSchema.parse({ id: 'forced', tier: 'api', provider: 'mock', headers: { 'x-mock-fault': 'error:504' } });
    const forced = createMockAdapter({ deployment, apiKey: undefined, transport });
    expect((await rejection(forced.chat(request('x'), context()))).upstreamStatus).toBe(504);
  });
});

describe('in-process pacing', () => {
  it('waits ttft before resolving the stream and paces chunks by tokens_per_second', async () => {
    const adapter = createInProcessMockAdapter({ deploymentId: 'p', options: mockOptionsSchema.parse({ ttft_ms: 40, tokens_per_second: 100 }) });
    const started = performance.now();
    const stream = await adapter.chatStream(request('a b c d e f', { stream: true }), context());
    const ttft = performance.now() - started;
    await collect(stream);
    const total = performance.now() - started;
    expect(ttft).toBeGreaterThanOrEqual(35);
    // 6 chunks at 10 ms: the last one is due 50 ms after the first.
    expect(total - ttft).toBeGreaterThanOrEqual(45);
    expect(total).toBeLessThan(1_000);
  });

  it('slow_ttft overrides ttft for one request; non-stream waits for the whole generation', async () => {
    const adapter = createInProcessMockAdapter({ deploymentId: 'p', options: mockOptionsSchema.parse({ tokens_per_second: 200 }) });
    let started = performance.now();
    await adapter.chat(request('x [[mock:fault=slow_ttft:60]]'), context());
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    started = performance.now();
    await adapter.chat(request('a b c d e f g h i j'), context());
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('an abort during ttft rejects promptly', async () => {
    const adapter = createInProcessMockAdapter({ deploymentId: 'p', options: mockOptionsSchema.parse({ ttft_ms: 10_000 }) });
    const controller = new AbortController();
    const pending = adapter.chatStream(request('x', { stream: true }), { signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('in-process mock: outbound body conformance', () => {
  let adapter: MockAdapter | undefined;
  runOutboundConformance({
    createAdapter: () => (adapter = createInProcessMockAdapter({ deploymentId: 'mock-outbound', options: mockOptionsSchema.parse({}) })),
    sent: () => adapter?.lastSentBody(),
    embeddings: true,
  });
});
