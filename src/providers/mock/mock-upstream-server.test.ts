import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream-server.js';

let mock: MockUpstream;
const agent = new Agent({ keepAliveTimeout: 10_000 });

beforeAll(async () => {
  mock = await startMockUpstream({ options: { embedding_dimensions: 4 } });
});
afterAll(async () => {
  await mock.close();
  await agent.close();
});
beforeEach(() => {
  mock.requests.clear();
  mock.setOptions({ ttft_ms: 0, tokens_per_second: 0, faults: { error_rate: 0, hang_rate: 0 } });
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) {
  const response = await request(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    dispatcher: agent,
    ...(signal ? { signal } : {}),
  });
  return response;
}

async function postText(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await post(path, body, headers);
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

const chat = (text: string, extra: Record<string, unknown> = {}) => ({ model: 'gpt-mock', messages: [{ role: 'user', content: text }], ...extra });
const dataLines = (sse: string): string[] => sse.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));

describe('mock upstream: OpenAI wire', () => {
  it('answers a chat completion in the exact OpenAI shape', async () => {
    const { status, headers, text } = await postText('/v1/chat/completions', chat('Hello world'));
    expect(status).toBe(200);
    expect(headers['content-type']).toBe('application/json');
    expect(JSON.parse(text)).toMatchObject({
      object: 'chat.completion',
      model: 'gpt-mock',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hello world', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
    });
  });

  it('streams chat.completion.chunk events, the usage chunk with empty choices, then [DONE]', async () => {
    const { headers, text } = await postText('/v1/chat/completions', chat('a b c', { stream: true, stream_options: { include_usage: true } }));
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    const lines = dataLines(text);
    expect(lines.at(-1)).toBe('[DONE]');
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line) as { object: string; id: string; choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }>; usage?: unknown });
    expect(new Set(chunks.map((chunk) => chunk.object))).toEqual(new Set(['chat.completion.chunk']));
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('a b c');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 } });

    const noUsage = dataLines((await postText('/v1/chat/completions', chat('a', { stream: true }))).text);
    expect(noUsage.some((line) => line.includes('"usage"'))).toBe(false);
  });

  it('streams tool calls as OpenAI tool_calls deltas', async () => {
    const tools = [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } } }];
    const lines = dataLines((await postText('/v1/chat/completions', chat('call:lookup', { stream: true, tools }))).text);
    const chunks = lines.slice(0, -1).map((line) => JSON.parse(line) as { choices: Array<{ delta: { tool_calls?: Array<{ id?: string; function: { name?: string; arguments: string } }> }; finish_reason: string | null }> });
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'lookup', arguments: '' } });
    expect(calls.map((call) => call.function.arguments).join('')).toBe('{"q":"mock-q"}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('serves embeddings (float and base64) and the model list', async () => {
    const float = JSON.parse((await postText('/v1/embeddings', { model: 'emb', input: ['x', 'y'] })).text) as { data: Array<{ embedding: number[] }>; usage: unknown };
    expect(float.data.map((item) => item.embedding.length)).toEqual([4, 4]);
    expect(float.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    const base64 = JSON.parse((await postText('/v1/embeddings', { model: 'emb', input: 'x', encoding_format: 'base64' })).text) as { data: Array<{ embedding: string }> };
    const decoded = Array.from(new Float32Array(Uint8Array.from(Buffer.from(base64.data[0]?.embedding ?? '', 'base64')).buffer));
    expect(decoded.map((value) => value.toFixed(5))).toEqual(float.data[0]?.embedding.map((value) => value.toFixed(5)));
    const models = await request(`${mock.url}/v1/models`, { dispatcher: agent });
    expect(await models.body.json()).toMatchObject({ object: 'list', data: [{ id: 'mock-chat', object: 'model' }, { id: 'mock-embedding' }] });
  });

  it('answers bad bodies with a 400 in the OpenAI error shape', async () => {
    const { status, text } = await postText('/v1/chat/completions', { model: 'x' });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ error: { type: 'invalid_request_error', param: null } });
  });
});

describe('mock upstream: Anthropic wire', () => {
  const message = (text: string, extra: Record<string, unknown> = {}) => ({ model: 'claude-mock', max_tokens: 100, messages: [{ role: 'user', content: text }], ...extra });

  it('answers a message in the Anthropic shape', async () => {
    const body = JSON.parse((await postText('/v1/messages', message('Hi there', { system: 'be brief' }))).text);
    expect(body).toMatchObject({ type: 'message', role: 'assistant', model: 'claude-mock', content: [{ type: 'text', text: 'Hi there' }], stop_reason: 'end_turn', usage: { input_tokens: 4, output_tokens: 2 } });
    expect(body.id).toMatch(/^msg_/);
  });

  it('streams the exact event sequence', async () => {
    const { text } = await postText('/v1/messages', message('one two', { stream: true }));
    const events = text.split('\n').filter((line) => line.startsWith('event: ')).map((line) => line.slice(7));
    // The shared encoder sends ping right after message_start (the real API sends it after the first content_block_start; SDKs accept both).
    expect(events).toEqual(['message_start', 'ping', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const data = dataLines(text).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(data[2]).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(data[3]).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'one' } });
    expect(data[6]).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } });
  });

  it('streams tool use as input_json_delta', async () => {
    const tools = [{ name: 'get_time', input_schema: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } }];
    const { text } = await postText('/v1/messages', message('now', { stream: true, tools, tool_choice: { type: 'tool', name: 'get_time' } }));
    const data = dataLines(text).map((line) => JSON.parse(line) as { type: string; content_block?: { type: string; name: string; id: string }; delta?: { partial_json?: string; stop_reason?: string } });
    expect(data.find((event) => event.type === 'content_block_start')?.content_block).toMatchObject({ type: 'tool_use', name: 'get_time', id: expect.stringMatching(/^toolu_/) });
    expect(data.map((event) => event.delta?.partial_json ?? '').join('')).toBe('{"zone":"mock-zone"}');
    expect(data.find((event) => event.type === 'message_delta')?.delta?.stop_reason).toBe('tool_use');
  });
});

describe('mock upstream: Azure wire and auth', () => {
  let secured: MockUpstream;
  beforeAll(async () => {
    secured = await startMockUpstream({ apiKey: 'sk-test-key' });
  });
  afterAll(() => secured.close());
  const at = (path: string, body: unknown, headers: Record<string, string>) =>
    request(`${secured.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (response) => ({ status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> }));

  it('serves Azure deployment URLs with api-key, taking the model from the URL', async () => {
    const ok = await at('/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21', { messages: [{ role: 'user', content: 'hi' }] }, { 'api-key': 'sk-test-key' });
    expect(ok).toMatchObject({ status: 200, body: { object: 'chat.completion', model: 'gpt4o-prod' } });
    const noVersion = await at('/openai/deployments/gpt4o-prod/chat/completions', { messages: [{ role: 'user', content: 'hi' }] }, { 'api-key': 'sk-test-key' });
    expect(noVersion.status).toBe(404);
    const embeddings = await at('/openai/deployments/emb/embeddings?api-version=2024-10-21', { input: 'x' }, { 'api-key': 'sk-test-key' });
    expect(embeddings).toMatchObject({ status: 200, body: { object: 'list' } });
  });

  it('refuses a wrong key with 401 in each vendor shape', async () => {
    const openai = await at('/v1/chat/completions', chat('x'), { authorization: 'Bearer wrong' });
    expect(openai).toMatchObject({ status: 401, body: { error: { code: 'invalid_api_key', type: 'invalid_request_error' } } });
    const azure = await at('/openai/deployments/d/chat/completions?api-version=1', chat('x'), { 'api-key': 'wrong' });
    expect(azure).toMatchObject({ status: 401, body: { error: { code: '401' } } });
    const anthropic = await at('/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': 'wrong' });
    expect(anthropic).toEqual({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    expect((await at('/v1/chat/completions', chat('x'), { authorization: 'Bearer sk-test-key' })).status).toBe(200);
  });
});

describe('mock upstream: faults over the socket', () => {
  it('error: the configured status in the vendor shape', async () => {
    const openai = await postText('/v1/chat/completions', chat('x'), { 'x-mock-fault': 'error:503' });
    expect(openai.status).toBe(503);
    expect(JSON.parse(openai.text)).toMatchObject({ error: { type: 'server_error' } });
    const anthropic = await postText('/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x [[mock:fault=error:529]]' }] });
    expect(anthropic.status).toBe(529);
    expect(JSON.parse(anthropic.text)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.any(String) } });
  });

  it('rate_limit: 429 with retry-after and retry-after-ms', async () => {
    const { status, headers, text } = await postText('/v1/chat/completions', chat('x [[mock:fault=rate_limit:1.5]]'));
    expect(status).toBe(429);
    expect(headers['retry-after']).toBe('2');
    expect(headers['retry-after-ms']).toBe('1500');
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
  });

  it('reset: the connection is destroyed without a response', async () => {
    await expect(postText('/v1/chat/completions', chat('x'), { 'x-mock-fault': 'reset' })).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
  });

  it('hang: no response until the client gives up', async () => {
    const started = performance.now();
    await expect(post('/v1/chat/completions', chat('x'), { 'x-mock-fault': 'hang' }, AbortSignal.timeout(80))).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('stream cut: N chunks arrive, then the body errors without [DONE]', async () => {
    const response = await post('/v1/chat/completions', chat('a b c d e f', { stream: true }), { 'x-mock-fault': 'stream_cut:2' });
    expect(response.statusCode).toBe(200);
    let received = '';
    const error = await (async () => {
      for await (const chunk of response.body) received += String(chunk);
    })().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeDefined();
    expect(received).not.toContain('[DONE]');
    const contents = dataLines(received).map((line) => (JSON.parse(line) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content);
    expect(contents).toEqual(['a', ' b']);
  });

  it('stream cut at 0: headers, then a broken body; Anthropic streams end without message_stop', async () => {
    const response = await post('/v1/chat/completions', chat('a b', { stream: true }), { 'x-mock-fault': 'stream_cut:0' });
    expect(response.statusCode).toBe(200);
    await expect(response.body.text()).rejects.toThrow();
    const anthropic = await post('/v1/messages', { model: 'c', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'a b c [[mock:fault=stream_cut:1]]' }] });
    let received = '';
    await expect((async () => {
      for await (const chunk of anthropic.body) received += String(chunk);
    })()).rejects.toThrow();
    expect(received).toContain('text_delta');
    expect(received).not.toContain('message_stop');
  });

  it('stall: headers and N chunks, then silence', async () => {
    const controller = new AbortController();
    const response = await post('/v1/chat/completions', chat('a b c', { stream: true }), { 'x-mock-fault': 'stall:1' }, controller.signal);
    const iterator = response.body[Symbol.asyncIterator]();
    const first = String((await iterator.next()).value);
    expect(dataLines(first)).toHaveLength(1);
    const next = Promise.race([iterator.next().then(() => 'data'), new Promise((resolve) => setTimeout(() => resolve('silent'), 50))]);
    expect(await next).toBe('silent');
    controller.abort();
  });

  it('slow_ttft and pacing delay the first byte and the chunks', async () => {
    mock.setOptions({ tokens_per_second: 200 });
    const started = performance.now();
    const response = await post('/v1/chat/completions', chat('a b c d e f g', { stream: true }), { 'x-mock-fault': 'slow_ttft:40' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    await response.body.text();
    // 7 chunks at 5 ms: the last is due 30 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(65);
  });

  it('rates apply per request and can be changed at runtime (PUT /__mock/options)', async () => {
    const put = await request(`${mock.url}/__mock/options`, { method: 'PUT', body: JSON.stringify({ faults: { error_rate: 1, error_status: 502 } }) });
    expect(put.statusCode).toBe(200);
    await put.body.dump();
    expect((await postText('/v1/chat/completions', chat('x'))).status).toBe(502);
    mock.setOptions({ faults: { error_rate: 0 } });
    expect((await postText('/v1/chat/completions', chat('x'))).status).toBe(200);
  });
});

describe('mock upstream: request log', () => {
  it('records bodies (credentials redacted), serves and clears them over HTTP', async () => {
    await postText('/v1/chat/completions', chat('my secret is <PERSON_1>'), { authorization: 'Bearer sk-live-123' });
    await postText('/v1/messages', { model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'second' }] });
    const listed = (await (await request(`${mock.url}/__mock/requests`)).body.json()) as { data: Array<{ seq: number; api: string; path: string; headers: Record<string, string>; body: { messages: Array<{ content: string }> } }> };
    expect(listed.data.map((entry) => [entry.seq, entry.api, entry.path])).toEqual([[1, 'openai', '/v1/chat/completions'], [2, 'anthropic', '/v1/messages']]);
    expect(listed.data[0]?.body.messages[0]?.content).toBe('my secret is <PERSON_1>');
    expect(listed.data[0]?.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(listed)).not.toContain('sk-live-123');
    const cleared = await request(`${mock.url}/__mock/requests`, { method: 'DELETE' });
    expect(cleared.statusCode).toBe(204);
    await cleared.body.dump();
    expect(mock.requests.entries()).toEqual([]);
  });
});

describe('mock upstream: speed', () => {
  it('costs little CPU per zero-delay request on keep-alive connections', async () => {
    const body = JSON.stringify(chat('hello world, how fast can you go?'));
    const total = 2_000;
    let next = 0;
    // CPU time, not wall time: other test files share these cores, but a regression that adds
    // real per-request work (re-parsing, regex compilation, copies) still shows up here.
    const cpuBefore = process.cpuUsage();
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < total) {
          next += 1;
          const response = await request(`${mock.url}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' }, dispatcher: agent });
          await response.body.dump();
        }
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / total;
    // Client and server share this process; about 0.3 ms on the dev machine for both together.
    expect(cpuMsPerRequest).toBeLessThan(2);
  });
});
