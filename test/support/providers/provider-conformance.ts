/**
 * The shared conformance suite every provider adapter's test runs. It drives the adapter with
 * fixed canonical requests against recorded wire fixtures (see fixture-transport.ts) and checks
 * both directions: what the adapter SENT (path, headers, exact body) and what it made of the
 * vendor's reply (text, tool calls, usage, errors). Test-only; it imports vitest.
 *
 * A provider folder's `__fixtures__/` holds, per case, `<case>.request.json` (the body the
 * adapter must send) and `<case>.response.json` / `.response.sse` (the vendor's reply), plus
 * `error-{400,401,429,500}.json` bodies and `expected.json` (see ConformanceExpectations).
 */
import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors/gateway-error.js';
import type { StreamPart } from '../../../src/model/stream-part.js';
import type { ToolCall } from '../../../src/model/chat-message.js';
import type { Usage } from '../../../src/model/usage.js';
import { FixtureTransport, readFixture, type FixtureReply } from './fixture-transport.js';
import type { ProviderAdapter } from '../../../src/providers/provider-adapter.js';
import { CONFORMANCE_REQUESTS } from './conformance-requests.js';
import { runOutboundConformance } from './outbound-conformance.js';

export interface ConformanceExpectations {
  chat: { id: string; model: string; text: string; usage: Usage };
  chatStream: { text: string; usage: Usage };
  toolCall: { name: string; arguments: Record<string, unknown>; usage: Usage };
  toolCallStream: { name: string; arguments: Record<string, unknown> };
  embeddings: { count: number; dimensions: number; inputTokens: number } | null;
  rateLimit: { headers: Record<string, string>; retryAfterSeconds: number };
}

export interface ProviderConformanceOptions {
  name: string;
  createAdapter(transport: FixtureTransport): ProviderAdapter;
  fixtures: {
    /** The provider's `__fixtures__` directory. */
    directory: string;
    /** Request paths (with query) the adapter must use, per operation. */
    paths: { chat: string; chatStream: string; embeddings?: string };
    /** Headers the adapter must send (credentials, version pins, the deployment's extra headers). */
    headers: Record<string, string>;
  };
}

const signal = new AbortController().signal;

export function runProviderConformance(options: ProviderConformanceOptions): void {
  const { directory } = options.fixtures;
  const expected = JSON.parse(readFixture(directory, 'expected.json')) as ConformanceExpectations;
  const reply = (name: string, extra: Partial<FixtureReply> = {}): FixtureReply => ({
    status: 200,
    headers: { 'content-type': name.endsWith('.sse') ? 'text/event-stream' : 'application/json' },
    body: readFixture(directory, name),
    ...extra,
  });
  const expectedBody = (name: string): unknown => JSON.parse(readFixture(directory, `${name}.request.json`));

  function setup(...replies: FixtureReply[]): { transport: FixtureTransport; adapter: ProviderAdapter } {
    const transport = new FixtureTransport().enqueue(...replies);
    return { transport, adapter: options.createAdapter(transport) };
  }

  function expectSent(transport: FixtureTransport, path: string, bodyFixture: string): void {
    const sent = transport.lastRequest();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe(path);
    expect(sent.headers).toMatchObject(options.fixtures.headers);
    expect(sent.signal).toBe(signal);
    expect(sent.json).toEqual(expectedBody(bodyFixture));
  }

  describe(`${options.name} provider conformance`, () => {
    it('non-stream chat: sends the recorded body and decodes text, id, model and usage', async () => {
      const { transport, adapter } = setup(reply('chat.response.json'));
      const response = await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal });
      expectSent(transport, options.fixtures.paths.chat, 'chat');
      expect(response.id).toBe(expected.chat.id);
      expect(response.model).toBe(expected.chat.model);
      expect(response.choices).toHaveLength(1);
      expect(response.choices[0]?.message.content).toBe(expected.chat.text);
      expect(response.choices[0]?.finishReason).toBe('stop');
      expect(response.usage).toEqual(expected.chat.usage);
    });

    for (const [label, request] of [
      ['a tool result turn', CONFORMANCE_REQUESTS.toolResult],
      ['multi-part content with an image', CONFORMANCE_REQUESTS.multimodal],
    ] as const) {
      it(`encodes ${label} as recorded`, async () => {
        const { transport, adapter } = setup(reply('chat.response.json'));
        await adapter.chat(request, { signal });
        const name = request === CONFORMANCE_REQUESTS.toolResult ? 'tool-result' : 'multimodal';
        expectSent(transport, options.fixtures.paths.chat, name);
      });
    }

    for (const seed of [1, 2, 3]) {
      it(`stream (chunk seed ${seed}): parts assemble to the recorded text, usage last`, async () => {
        const { transport, adapter } = setup(reply('chat-stream.response.sse', { chunking: { seed, maxChunkBytes: 7 } }));
        const parts = await collect(await adapter.chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal }));
        expectSent(transport, options.fixtures.paths.chatStream, 'chat-stream');
        expectWellFormedStream(parts);
        expect(textOf(parts)).toBe(expected.chatStream.text);
        expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: 'stop' });
        expect(parts.at(-1)).toEqual({ type: 'usage', usage: expected.chatStream.usage });
      });
    }

    it('tool call (non-stream): decodes name, id and JSON arguments', async () => {
      const { transport, adapter } = setup(reply('tool-call.response.json'));
      const response = await adapter.chat(CONFORMANCE_REQUESTS.toolCall, { signal });
      expectSent(transport, options.fixtures.paths.chat, 'tool-call');
      const choice = response.choices[0];
      expect(choice?.finishReason).toBe('tool_calls');
      const call = choice?.message.toolCalls?.[0] as ToolCall;
      expect(call.id).not.toBe('');
      expect(call.name).toBe(expected.toolCall.name);
      expect(JSON.parse(call.arguments)).toEqual(expected.toolCall.arguments);
      expect(response.usage).toEqual(expected.toolCall.usage);
    });

    it('tool call (stream): argument deltas assemble to the recorded arguments', async () => {
      const { transport, adapter } = setup(reply('tool-call-stream.response.sse', { chunking: { seed: 9, maxChunkBytes: 5 } }));
      const parts = await collect(await adapter.chatStream({ ...CONFORMANCE_REQUESTS.toolCall, stream: true }, { signal }));
      expectSent(transport, options.fixtures.paths.chatStream, 'tool-call-stream');
      expectWellFormedStream(parts);
      const deltas = parts.filter((part) => part.type === 'tool-call-delta');
      expect(deltas.find((part) => part.id !== undefined)?.id).toBeTruthy();
      expect(deltas.find((part) => part.name !== undefined)?.name).toBe(expected.toolCallStream.name);
      expect(JSON.parse(deltas.map((part) => part.argumentsDelta).join(''))).toEqual(expected.toolCallStream.arguments);
      expect(parts.find((part) => part.type === 'finish')).toMatchObject({ finishReason: 'tool_calls' });
    });

    if (expected.embeddings !== null) {
      const embeddings = expected.embeddings;
      it('embeddings: sends the recorded body and decodes vectors in order with usage', async () => {
        const { transport, adapter } = setup(reply('embeddings.response.json'));
        const response = await adapter.embed(CONFORMANCE_REQUESTS.embeddings, { signal });
        expectSent(transport, options.fixtures.paths.embeddings ?? '', 'embeddings');
        expect(response.embeddings).toHaveLength(embeddings.count);
        for (const vector of response.embeddings) expect(vector).toHaveLength(embeddings.dimensions);
        expect(response.usage.inputTokens).toBe(embeddings.inputTokens);
      });
    } else {
      it('embeddings: rejects with unsupported_feature without calling the upstream', async () => {
        const { transport, adapter } = setup();
        await expect(adapter.embed(CONFORMANCE_REQUESTS.embeddings, { signal })).rejects.toMatchObject({ code: 'unsupported_feature' });
        expect(transport.requests).toHaveLength(0);
      });
    }

    const errorCases: Array<[number, string, Record<string, unknown>]> = [
      [400, 'error-400.json', { code: 'upstream_bad_request', status: 400, upstreamStatus: 400 }],
      [401, 'error-401.json', { code: 'upstream_auth_failed', upstreamStatus: 401 }],
      [429, 'error-429.json', { code: 'upstream_rate_limited', retryAfterSeconds: expected.rateLimit.retryAfterSeconds }],
      [500, 'error-500.json', { code: 'upstream_error', upstreamStatus: 500, retryable: true }],
    ];
    for (const [status, file, shape] of errorCases) {
      it(`maps HTTP ${status} to ${String(shape.code)} (chat and stream), without URLs or keys in the message`, async () => {
        const headers = status === 429 ? expected.rateLimit.headers : {};
        const { adapter } = setup(reply(file, { status, headers }), reply(file, { status, headers }));
        for (const call of [() => adapter.chat(CONFORMANCE_REQUESTS.chat, { signal }), () => adapter.chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal })]) {
          const error = await call().then(() => undefined, (caught: unknown) => caught);
          expect(error).toBeInstanceOf(UpstreamError);
          expect(error).toMatchObject(shape);
          expect((error as Error).message).not.toMatch(/https?:\/\/|test-key|sk-/);
        }
      });
    }

    it('maps a malformed 200 body to upstream_error', async () => {
      const { adapter } = setup({ status: 200, body: '{"id": "broken", "choi' });
      await expect(adapter.chat(CONFORMANCE_REQUESTS.chat, { signal })).rejects.toMatchObject({ code: 'upstream_error' });
    });

    it('maps a transport failure to upstream_unavailable', async () => {
      const { adapter } = setup({ body: '', fail: new Error('connect ECONNREFUSED 10.1.2.3:443') });
      const error = await adapter.chat(CONFORMANCE_REQUESTS.chat, { signal }).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'upstream_unavailable' });
      expect((error as Error).message).not.toContain('10.1.2.3');
    });

    for (const mode of ['end', 'error'] as const) {
      it(`a stream cut mid-way (${mode === 'end' ? 'clean close' : 'socket error'}) throws upstream_stream_interrupted from the iterator`, async () => {
        const body = readFixture(directory, 'chat-stream.response.sse');
        const { adapter } = setup(reply('chat-stream.response.sse', { cut: { afterBytes: Math.floor(body.length / 2), mode } }));
        const stream = await adapter.chatStream({ ...CONFORMANCE_REQUESTS.chat, stream: true }, { signal });
        const parts: StreamPart[] = [];
        const error = await (async () => {
          for await (const part of stream) parts.push(part);
        })().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(UpstreamError);
        expect(error).toMatchObject({ code: 'upstream_stream_interrupted' });
        expect(parts[0]?.type).toBe('start');
      });
    }

    describe('outbound body', () => {
      let transport = new FixtureTransport();
      runOutboundConformance({
        createAdapter: () => {
          const body = (name: string) => reply(name);
          transport = new FixtureTransport().enqueue(...Array.from({ length: 4 }, () => body('chat.response.json')));
          return options.createAdapter(transport);
        },
        sent: () => transport.requests.at(-1)?.body,
        embeddings: expected.embeddings !== null,
      });
    });

    it('close() closes the transport', async () => {
      const { transport, adapter } = setup();
      await adapter.close();
      expect(transport.closed).toBe(true);
    });
  });
}

async function collect(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function textOf(parts: StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}

/** Exactly one start, first; one finish per choice; at most one usage, after the finishes. */
function expectWellFormedStream(parts: StreamPart[]): void {
  expect(parts[0]?.type).toBe('start');
  expect(parts.filter((part) => part.type === 'start')).toHaveLength(1);
  const finishes = parts.filter((part) => part.type === 'finish');
  expect(finishes).toHaveLength(1);
  const usageIndex = parts.findIndex((part) => part.type === 'usage');
  expect(parts.filter((part) => part.type === 'usage').length).toBeLessThanOrEqual(1);
  if (usageIndex !== -1) expect(usageIndex).toBeGreaterThan(parts.indexOf(finishes[0] as StreamPart));
}
