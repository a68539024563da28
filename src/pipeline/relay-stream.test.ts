/**
 * The stream relay in the whole chat journey, against a real HTTP upstream that writes its SSE in
 * small pieces (so zh-TW characters and events really split across TCP reads): the relay is used
 * exactly when nothing needs rewriting, and where it is used the client, the meter and the audit
 * record get what the re-encoding path gives them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { createGatewayRuntime } from '../assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices } from '../assembly/create-shared-services.js';
import { subscribe, REQUEST_FINISH } from '../observability/channels.js';
import type { RequestSummary } from '../model/request-summary.js';
import { openAIChatDialect } from '../wire/openai/openai-chat-dialect.js';
import { anthropicMessagesDialect } from '../wire/anthropic/anthropic-messages-dialect.js';
import { SseLineParser } from '../wire/sse/parse-sse.js';
import type { ChatDialect } from '../wire/dialect.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { InboundCall } from './inbound-call.js';
import { runChat } from './run-chat.js';

const HEAD = '"id":"chatcmpl-9","object":"chat.completion.chunk","created":1764662400,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_up"';
const chunk = (choices: string, usage = 'null') => `data: {${HEAD},"choices":[${choices}],"usage":${usage}}\n\n`;
const delta = (content: string) => chunk(`{"index":0,"delta":{"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}`);
const ROLE = chunk('{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}');
const FINISH = chunk('{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}');
const USAGE = `data: {${HEAD},"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}\n\n`;
const TEXT = ['臺北今天', '下雨，', '記得帶傘。', ' Sources: https://example.test/weather'];

const BODIES = {
  complete: ROLE + TEXT.map(delta).join('') + FINISH + USAGE + 'data: [DONE]\n\n',
  keepAliveCrlf: (ROLE + ': ping\n\n' + TEXT.map(delta).join('') + FINISH + USAGE + 'data: [DONE]\n\n').replaceAll('\n', '\r\n'),
  cut: ROLE + TEXT.slice(0, 2).map(delta).join('') + 'data: {"id":"chatcmpl-9","obj',
  errorEvent: ROLE + TEXT.slice(0, 2).map(delta).join('') + 'data: {"error":{"message":"overloaded","type":"server_error"}}\n\n',
  /** More completion tokens than the request's output cap allows: the gateway clamps them. */
  impossibleUsage: ROLE + delta('hi') + FINISH + `data: {${HEAD},"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":9999999,"total_tokens":10000011}}\n\n` + 'data: [DONE]\n\n',
};
let body: string = BODIES.complete;
let reset = false;
/** Upstream responses whose connection closed before the whole body was written (the gateway hung up). */
let upstreamCutShort = 0;

/** Writes the current body in 5-byte pieces a millisecond apart (or resets the socket halfway). */
function trickle(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const bytes = Buffer.from(body);
    let offset = 0;
    response.on('close', () => void (offset < bytes.length && !reset && upstreamCutShort++));
    const timer = setInterval(() => {
      if (response.destroyed) return clearInterval(timer);
      if (reset && offset > bytes.length / 2) {
        clearInterval(timer);
        response.socket?.destroy();
        return;
      }
      response.write(bytes.subarray(offset, offset + 5));
      offset += 5;
      if (offset >= bytes.length) {
        clearInterval(timer);
        response.end();
      }
    }, 1);
  });
}

const server = createServer(trickle);
let services: AssembledServices[] = [];
let upstreamUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  for (const running of services) await running.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
afterEach(() => {
  body = BODIES.complete;
  reset = false;
  upstreamCutShort = 0;
  vi.restoreAllMocks();
});

async function gateway(extra: string): Promise<{ runtime: GatewayRuntime; services: AssembledServices }> {
  const loaded = parseConfigText(
    `
storage: { url: "sqlite::memory:" }
auth: { keys: [{ id: demo, key: "\${env:KEY}" }] }
deployments:
  - { id: up, tier: on-prem, provider: openai-compatible, base_url: "${upstreamUrl}" }
models:
  - { alias: chat, targets: [{ deployment: up, model: gpt-4o-mini }] }
audit: { default_capture: full }
${extra}`,
    'relay-test.yaml',
    { KEY: 'relay-test-key' },
  );
  const shared = await createSharedServices(loaded);
  services.push(shared);
  return { runtime: createGatewayRuntime(loaded, shared), services: shared };
}

let sequence = 0;

/** One streamed call through runChat; returns what the client read and what the gateway recorded. */
async function stream(running: { runtime: GatewayRuntime; services: AssembledServices }, dialect: ChatDialect<unknown>, payload: Record<string, unknown>, leaveAfterWrites = Infinity) {
  const requestId = `relay-${++sequence}`;
  let written = '';
  let ended = false;
  let writes = 0;
  const client = new AbortController();
  const summaries: RequestSummary[] = [];
  const unsubscribe = subscribe(REQUEST_FINISH, (event) => {
    if (event.summary.requestId === requestId) summaries.push(event.summary);
  });
  const call: InboundCall = {
    requestId,
    headers: { authorization: 'Bearer relay-test-key' },
    body: { model: 'chat', stream: true, ...payload },
    signal: client.signal,
    openStream: () => ({
      write: async (text) => {
        written += typeof text === 'string' ? text : new TextDecoder('utf-8', { fatal: true }).decode(text);
        // A client that hangs up: the server aborts the call's signal and the sink is closed.
        if (++writes >= leaveAfterWrites) client.abort(new Error('client left'));
      },
      get closed() {
        return client.signal.aborted;
      },
      end: () => void (ended = true),
    }),
    afterResponse: () => undefined,
  };
  const reply = await runChat(running.runtime, call, dialect);
  // The finish event goes out on the tick after the journey returns (publish-finish.ts).
  await vi.waitFor(() => expect(summaries).toHaveLength(1));
  unsubscribe();
  const [row] = await running.services.storage.executor.all<{ body: string }>('SELECT body FROM audit_records WHERE request_id = ?', [requestId]);
  const record = JSON.parse(row?.body ?? '{}') as Record<string, unknown>;
  return { reply, written, ended, summary: summaries[0], record };
}

/** The OpenAI chat dialect without the pass-through hook: always the re-encoding path. */
const reencoding: ChatDialect<unknown> = {
  ...openAIChatDialect,
  encodeStream: (options: { includeUsage: boolean }) => {
    const { encode, end, error } = openAIChatDialect.encodeStream(options);
    return { encode, end, error };
  },
} as ChatDialect<unknown>;

function clientEvents(sse: string): unknown[] {
  const parser = new SseLineParser();
  return [...parser.push(sse), ...parser.end()].map((event) => (event.data === '[DONE]' ? '[DONE]' : (JSON.parse(event.data) as unknown)));
}

/** What an SDK accumulates: text, role, finish, usage, the error, the end. */
function accumulated(sse: string) {
  let content = '';
  let role: unknown;
  let finish: unknown;
  const usage: unknown[] = [];
  const heads = new Set<string>();
  let error: unknown;
  let done = false;
  for (const event of clientEvents(sse)) {
    if (event === '[DONE]') {
      done = true;
      continue;
    }
    const value = event as { error?: { code: string }; id: string; model: string; usage?: unknown; choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }> };
    if (value.error) {
      error = value.error.code;
      continue;
    }
    heads.add(`${value.id} ${value.model}`);
    if (value.usage) usage.push(value.usage);
    for (const choice of value.choices) {
      role = choice.delta.role ?? role;
      content += choice.delta.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
  }
  return { content, role, finish, usage, heads: [...heads], error, done };
}

/** The audit record's facts a relay must not change (timings and ids differ run to run). */
const ledgerFacts = (record: Record<string, unknown>) => {
  const { tokens, costUsd, status, content, upstreamModel, stream, errorCode, httpStatus } = record;
  return { tokens, costUsd, status, content, upstreamModel, stream, errorCode, httpStatus };
};
const summaryFacts = (summary: RequestSummary | undefined) => ({
  usage: summary?.usage,
  quality: summary?.quality,
  streamCompleted: summary?.streamCompleted,
  streamErrorCode: summary?.streamErrorCode,
  responseModel: summary?.responseModel,
  costUsd: summary?.costUsd,
  ttft: summary?.ttftMs !== undefined,
});

describe('stream relay in the chat journey', () => {
  let proxy: { runtime: GatewayRuntime; services: AssembledServices };
  beforeAll(async () => {
    proxy = await gateway('guard: { enabled: false }');
  });

  for (const [name, scenario] of Object.entries({ complete: BODIES.complete, 'keep-alives and CRLF': BODIES.keepAliveCrlf, 'impossible usage (clamped)': BODIES.impossibleUsage })) {
    for (const includeUsage of [false, true]) {
      it(`relays a ${name} stream as the re-encoding path would send it (include_usage ${includeUsage})`, async () => {
        body = scenario;
        const adapter = proxy.runtime.adapters.get('up');
        const relayed = vi.spyOn(adapter as NonNullable<typeof adapter>, 'chatStreamRelay');
        const payload = { max_tokens: 50, messages: [{ role: 'user', content: '臺北天氣如何？' }], ...(includeUsage ? { stream_options: { include_usage: true } } : {}) };
        const after = await stream(proxy, openAIChatDialect as ChatDialect<unknown>, payload);
        expect(relayed).toHaveBeenCalledTimes(1);
        const before = await stream(proxy, reencoding, payload);
        expect(relayed).toHaveBeenCalledTimes(1);
        expect(after.reply).toBeUndefined();
        expect(after.ended).toBe(true);
        expect(accumulated(after.written)).toEqual(accumulated(before.written));
        // The relay really passed the upstream's own chunks (the encoder does not write system_fingerprint).
        expect(after.written).toContain('"system_fingerprint":"fp_up"');
        expect(ledgerFacts(after.record)).toEqual(ledgerFacts(before.record));
        expect(summaryFacts(after.summary)).toEqual(summaryFacts(before.summary));
        expect(accumulated(after.written).usage).toHaveLength(includeUsage ? 1 : 0);
      });
    }
  }

  it('meters the upstream usage and keeps the answer and quality signals for the audit', async () => {
    const { record, summary } = await stream(proxy, openAIChatDialect as ChatDialect<unknown>, { messages: [{ role: 'user', content: 'hi' }] });
    expect(record).toMatchObject({ content: { mode: 'full', response: TEXT.join('') }, status: 'ok' });
    expect(record.tokens).toMatchObject({ input: 12, output: 7 });
    expect(summary).toMatchObject({ usage: { inputTokens: 12, outputTokens: 7 }, quality: { citations: true, refusal: false }, streamCompleted: true });
  });

  for (const [name, setup] of [
    ['a stream cut without [DONE]', () => void (body = BODIES.cut)],
    ['an upstream error event', () => void (body = BODIES.errorEvent)],
    ['a socket reset mid-stream', () => void (reset = true)],
  ] as const) {
    it(`ends ${name} with the explicit error event, as today, and records it incomplete`, async () => {
      setup();
      // A gateway of its own: the circuit breaker counts these failures.
      const broken = await gateway('guard: { enabled: false }');
      const reported = vi.spyOn(broken.runtime.services.traffic, 'reportStreamFailure');
      const after = await stream(broken, openAIChatDialect as ChatDialect<unknown>, { messages: [{ role: 'user', content: 'hi' }] });
      const before = await stream(broken, reencoding, { messages: [{ role: 'user', content: 'hi' }] });
      expect(accumulated(after.written)).toMatchObject({ error: 'upstream_stream_interrupted', done: false });
      expect(after.summary).toMatchObject({ streamCompleted: false, streamErrorCode: 'upstream_stream_interrupted' });
      expect(after.record).toMatchObject({ status: 'incomplete', errorCode: 'upstream_stream_interrupted' });
      // Both paths tell the circuit breaker.
      expect(reported.mock.calls).toEqual([['up'], ['up']]);
      // A reset loses whatever was in flight, so only the ends are compared there.
      if (!reset) {
        expect(accumulated(after.written)).toEqual(accumulated(before.written));
        expect(ledgerFacts(after.record)).toEqual(ledgerFacts(before.record));
      } else expect(accumulated(before.written)).toMatchObject({ error: 'upstream_stream_interrupted', done: false });
    });
  }

  it('stops the upstream when the client leaves mid-relay, records the stream incomplete and charges what was sent, as re-encoding does', async () => {
    const payload = { messages: [{ role: 'user', content: 'hi' }] };
    const adapter = proxy.runtime.adapters.get('up');
    const relayed = vi.spyOn(adapter as NonNullable<typeof adapter>, 'chatStreamRelay');
    const after = await stream(proxy, openAIChatDialect as ChatDialect<unknown>, payload, 2);
    expect(relayed).toHaveBeenCalledTimes(1);
    // The upstream sees its connection close (asynchronously, once the abort reached the socket).
    await vi.waitFor(() => expect(upstreamCutShort).toBe(1));
    const before = await stream(proxy, reencoding, payload, 2);
    await vi.waitFor(() => expect(upstreamCutShort).toBe(2));
    for (const run of [after, before]) {
      expect(run.summary).toMatchObject({ streamCompleted: false });
      expect(run.record).toMatchObject({ status: 'incomplete' });
      expect(run.written).not.toContain('[DONE]');
      // No usage came: the output is estimated from the text the client was sent, never zero.
      expect((run.record.tokens as { output: number }).output).toBeGreaterThan(0);
      expect((run.record.content as { response: string }).response).toBe(accumulated(run.written).content);
    }
  });

  it('sanitises an upstream error event before the client and the audit record read it, relayed or not', async () => {
    body = ROLE + delta('臺北') + 'data: {"error":{"message":"overloaded; see http://10.1.2.3:8443/internal/ops?token=abc key sk-proj-0123456789abcdef","type":"server_error"}}\n\n';
    const broken = await gateway('guard: { enabled: false }');
    for (const dialect of [openAIChatDialect as ChatDialect<unknown>, reencoding]) {
      const { written, record } = await stream(broken, dialect, { messages: [{ role: 'user', content: 'hi' }] });
      expect(accumulated(written)).toMatchObject({ error: 'upstream_stream_interrupted', done: false });
      expect(written).toContain('overloaded; see');
      for (const leaked of [written, JSON.stringify(record)]) expect(leaked).not.toMatch(/10\.1\.2\.3|internal\/ops|sk-proj/);
    }
  });

  it('does not relay to a client of another dialect (Anthropic in, OpenAI upstream)', async () => {
    const adapter = proxy.runtime.adapters.get('up');
    const relayed = vi.spyOn(adapter as NonNullable<typeof adapter>, 'chatStreamRelay');
    const { written } = await stream(proxy, anthropicMessagesDialect as ChatDialect<unknown>, { max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
    expect(relayed).not.toHaveBeenCalled();
    expect(written).toContain('event: message_stop');
  });

  it('does not relay when the output guard reads the answer (the default guard)', async () => {
    const guarded = await gateway('');
    const adapter = guarded.runtime.adapters.get('up');
    const relayed = vi.spyOn(adapter as NonNullable<typeof adapter>, 'chatStreamRelay');
    const { written } = await stream(guarded, openAIChatDialect as ChatDialect<unknown>, { messages: [{ role: 'user', content: 'hi' }] });
    expect(relayed).not.toHaveBeenCalled();
    expect(accumulated(written).content).toBe(TEXT.join(''));
    expect(written).not.toContain('system_fingerprint');
  });

  it('does not relay when a placeholder may need restoring, and restores it', async () => {
    const masking = await gateway(`guard: { enabled: false }
policy:
  rules:
    - { name: mask-people, match: { data_class_at_least: confidential }, allow_tiers: [on-prem], mask: [PERSON, PHONE] }
    - { name: default, allow_tiers: [on-prem] }`);
    const adapter = masking.runtime.adapters.get('up');
    const relayed = vi.spyOn(adapter as NonNullable<typeof adapter>, 'chatStreamRelay');
    const plain = vi.spyOn(adapter as NonNullable<typeof adapter>, 'chatStream');
    await stream(masking, openAIChatDialect as ChatDialect<unknown>, { messages: [{ role: 'user', content: '請打電話給林雅雯 0912-345-678' }] });
    expect(relayed).not.toHaveBeenCalled();
    expect(plain).toHaveBeenCalledTimes(1);
    // Nothing to mask in this one: the same gateway relays it.
    await stream(masking, openAIChatDialect as ChatDialect<unknown>, { messages: [{ role: 'user', content: 'hello' }] });
    expect(relayed).toHaveBeenCalledTimes(1);
  });
});
