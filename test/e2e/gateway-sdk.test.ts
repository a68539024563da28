import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * The gateway as users run it: two real processes (gateway + mock upstream) on loopback,
 * driven by the official SDKs with nothing but a changed base URL.
 */

const DEMO_KEY = 'sy-e2e-demo-key-0123456789';
const LIMITED_KEY = 'sy-e2e-limited-key-0123456789';
const UPSTREAM_KEY = 'upstream-secret-key-e2e-42';

let upstream: RunningProcess;
let gateway: RunningProcess;
let openai: OpenAI;
let anthropic: Anthropic;

function config(mockUrl: string): string {
  return `
server: { host: 127.0.0.1, port: 0, body_limit_bytes: 65536 }
auth:
  keys:
    - { id: demo, key: "\${env:E2E_DEMO_KEY}", department: engineering }
    - { id: limited, key: "\${env:E2E_LIMITED_KEY}", models: [chat-oai] }
deployments:
  - { id: oai, tier: api, provider: openai-compatible, base_url: "${mockUrl}/v1", api_key: "\${env:E2E_UPSTREAM_KEY}" }
  - { id: claude, tier: api, provider: anthropic, base_url: "${mockUrl}", api_key: "\${env:E2E_UPSTREAM_KEY}" }
  - id: azure
    tier: private-cloud
    provider: azure-openai
    base_url: "${mockUrl}"
    api_key: "\${env:E2E_UPSTREAM_KEY}"
    api_version: 2024-10-21
    models: { gpt-4o: gpt4o-prod }
  - { id: dead, tier: on-prem, provider: openai-compatible, base_url: "http://127.0.0.1:9/v1", timeouts: { connect_ms: 500 } }
models:
  - { alias: chat-oai, targets: [{ deployment: oai, model: gpt-4o-mini }] }
  - { alias: chat-claude, targets: [{ deployment: claude, model: claude-sonnet-4-5 }] }
  - { alias: chat-azure, targets: [{ deployment: azure, model: gpt-4o }] }
  - { alias: chat-failover, targets: [{ deployment: dead, model: m, weight: 1 }, { deployment: oai, model: gpt-4o-mini, weight: 0 }] }
  - { alias: chat-all-dead, targets: [{ deployment: dead, model: m }] }
  - { alias: embed, type: embedding, targets: [{ deployment: oai, model: text-embedding-3-small }] }
# This suite checks wire compatibility: images stay public here so the api-tier mock serves them
# (by default unscanned content raises a request to confidential).
policy: { unscanned_content_class: public }
`;
}

beforeAll(async () => {
  upstream = await startSwitchyard(['mock-upstream', '--port', '0', '--api-key-env', 'E2E_UPSTREAM_KEY'], { E2E_UPSTREAM_KEY: UPSTREAM_KEY });
  const path = writeTempConfig(config(upstream.url));
  gateway = await startSwitchyard(['serve', '--config', path], {
    E2E_DEMO_KEY: DEMO_KEY,
    E2E_LIMITED_KEY: LIMITED_KEY,
    E2E_UPSTREAM_KEY: UPSTREAM_KEY,
  });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: DEMO_KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: DEMO_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  },
];

describe('OpenAI SDK through the gateway', () => {
  it('lists the aliases the caller may use', async () => {
    const ids = (await openai.models.list()).data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining(['chat-oai', 'chat-claude', 'chat-azure', 'embed']));
    const limited = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: LIMITED_KEY, maxRetries: 0 });
    expect((await limited.models.list()).data.map((model) => model.id)).toEqual(['chat-oai']);
  });

  it('answers a chat completion with usage, and says where it went', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-oai', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: '請問台北今天天氣如何？' }], temperature: 0.2, max_tokens: 64 })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe('請問台北今天天氣如何？');
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-deployment')).toBe('oai');
    expect(response.headers.get('x-switchyard-tier')).toBe('api');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('streams text whose assembly equals the reply, with usage when asked', async () => {
    const prompt = 'Stream me this sentence, 一字不漏 please.';
    const stream = await openai.chat.completions.create({
      model: 'chat-oai',
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined | null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(prompt);
    expect(chunks).toBeGreaterThan(2);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
  });

  it('does not send a usage chunk the client did not ask for', async () => {
    const stream = await openai.chat.completions.create({ model: 'chat-oai', messages: [{ role: 'user', content: 'no usage' }], stream: true });
    for await (const chunk of stream) expect(chunk.usage ?? undefined).toBeUndefined();
  });

  it('returns tool calls, plain and streamed', async () => {
    const completion = await openai.chat.completions.create({
      model: 'chat-oai',
      messages: [{ role: 'user', content: 'Weather in Taipei?' }],
      tools,
      tool_choice: 'required',
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toHaveProperty('city');

    const stream = openai.chat.completions.stream({
      model: 'chat-oai',
      messages: [{ role: 'user', content: 'Weather in Taipei?' }],
      tools,
      tool_choice: 'required',
    });
    const final = await stream.finalChatCompletion();
    const streamed = final.choices[0]?.message.tool_calls?.[0];
    expect(streamed?.type === 'function' && streamed.function.name).toBe('get_weather');
    expect(streamed?.type === 'function' && JSON.parse(streamed.function.arguments)).toHaveProperty('city');
  });

  it('accepts multi-part content and response_format json_schema', async () => {
    const completion = await openai.chat.completions.create({
      model: 'chat-oai',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'part one' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } } } },
      seed: 7,
      stop: ['END'],
      n: 1,
      user: 'user-123',
    });
    expect(completion.choices[0]?.message).toBeDefined();
  });

  it('serves embeddings in the SDK default (base64) and float formats', async () => {
    const base64 = await openai.embeddings.create({ model: 'embed', input: ['第一句', 'second'] });
    expect(base64.data).toHaveLength(2);
    expect(base64.data[0]?.embedding.length).toBeGreaterThan(0);
    const float = await openai.embeddings.create({ model: 'embed', input: '第一句', encoding_format: 'float' });
    // base64 carries float32; the float format carries the same values before narrowing.
    expect(float.data[0]?.embedding.map((value) => Math.fround(value))).toEqual(base64.data[0]?.embedding);
  });

  it('is served by an Azure OpenAI deployment through its deployment name', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-azure', messages: [{ role: 'user', content: 'via azure' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('via azure');
    expect(response.headers.get('x-switchyard-tier')).toBe('private-cloud');
  });

  it('is served by an Anthropic deployment (cross-format), plain and streamed', async () => {
    const completion = await openai.chat.completions.create({ model: 'chat-claude', messages: [{ role: 'user', content: 'OpenAI client, Claude backend' }] });
    expect(completion.choices[0]?.message.content).toBe('OpenAI client, Claude backend');
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    const stream = await openai.chat.completions.create({
      model: 'chat-claude',
      messages: [{ role: 'user', content: '串流 through Claude' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      sawUsage ||= chunk.usage != null;
    }
    expect(text).toBe('串流 through Claude');
    expect(sawUsage).toBe(true);
  });

  it('fails over from a dead deployment to the standby', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat-failover', messages: [{ role: 'user', content: 'still answered' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('still answered');
    expect(response.headers.get('x-switchyard-deployment')).toBe('oai');
  });
});

describe('Anthropic SDK through the gateway', () => {
  it('is served by an OpenAI-compatible deployment (cross-format)', async () => {
    const message = await anthropic.messages.create({
      model: 'chat-oai',
      max_tokens: 100,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Anthropic client, OpenAI backend' }],
    });
    expect(message.type).toBe('message');
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Anthropic client, OpenAI backend' });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(0);
  });

  it('streams the full Anthropic event sequence', async () => {
    const stream = anthropic.messages.stream({ model: 'chat-oai', max_tokens: 100, messages: [{ role: 'user', content: '你好 streaming world' }] });
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: '你好 streaming world' });
    expect(events[0]).toBe('message_start');
    expect(events).toContain('content_block_start');
    expect(events).toContain('content_block_delta');
    expect(events.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
  });

  it('is served by an Anthropic deployment, with tool use', async () => {
    const message = await anthropic.messages.create({
      model: 'chat-claude',
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather?' }],
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content.find((block) => block.type === 'tool_use')).toMatchObject({ name: 'get_weather' });
  });

  it('gets errors in the Anthropic shape', async () => {
    const error = await anthropic.messages.create({ model: 'no-such-alias', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect((error as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error', code: 'model_not_found' } });
  });
});

describe('errors', () => {
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json', ...headers },
      body,
    });

  it('malformed JSON → 400 invalid_json naming the problem', async () => {
    const response = await post('/v1/chat/completions', '{"model": "chat-oai", "messages": [');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ code: 'invalid_json', type: 'invalid_request_error' });
    expect(body.error.message).toMatch(/JSON/);
  });

  it('a missing field → 400 naming the parameter', async () => {
    const error = await openai.chat.completions.create({ model: 'chat-oai', messages: [] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('messages');
  });

  it('unknown alias → 404 model_not_found; an alias the key may not use looks the same', async () => {
    const error = await openai.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    const limited = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: LIMITED_KEY, maxRetries: 0 });
    const hidden = await limited.chat.completions.create({ model: 'chat-claude', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect((hidden as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it('missing or wrong key → 401', async () => {
    const wrong = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sy-wrong', maxRetries: 0 });
    const error = await wrong.chat.completions.create({ model: 'chat-oai', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    const missing = await post('/v1/chat/completions', '{}', { authorization: '' });
    expect(missing.status).toBe(401);
  });

  it('a body over the limit → 413', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'chat-oai', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large');
  });

  it('an upstream 4xx is passed through sanitised', async () => {
    const error = await openai.chat.completions
      .create({ model: 'chat-oai', messages: [{ role: 'user', content: 'bad one [[mock:fault=error:400]]' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.code).toBe('upstream_bad_request');
    const text = JSON.stringify(apiError.error) + apiError.message;
    expect(text).not.toContain(upstream.url);
    expect(text).not.toContain(UPSTREAM_KEY);
  });

  it('all targets down → 503 with each attempt', async () => {
    const error = await openai.chat.completions.create({ model: 'chat-all-dead', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(503);
    expect(apiError.code).toBe('upstream_unavailable');
    // routing.retry.max_attempts defaults to 3: the only target is tried three times, each listed.
    expect((apiError.error as { attempts: Array<{ deployment: string }> }).attempts.map((attempt) => attempt.deployment)).toEqual(['dead', 'dead', 'dead']);
    expect(JSON.stringify(apiError.error)).not.toContain('127.0.0.1:9');
  });

  it('a stream cut after the first byte raises an error in the SDK, never a clean end', async () => {
    const stream = await openai.chat.completions.create({
      model: 'chat-oai',
      messages: [{ role: 'user', content: 'a long enough answer to be cut in the middle [[mock:fault=stream_cut:2]]' }],
      stream: true,
    });
    let text = '';
    const consume = async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    };
    await expect(consume()).rejects.toThrow();
    expect(text.length).toBeGreaterThan(0);
  });

  it('unknown routes get a 404 in the OpenAI shape', async () => {
    const response = await fetch(`${gateway.url}/v1/nothing-here`, { headers: { authorization: `Bearer ${DEMO_KEY}` } });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

describe('operations', () => {
  it('answers health and readiness', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
  });

  it('logs one line per request with its id and never the key or the prompt', async () => {
    const marker = `log-probe-${Date.now()}`;
    await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEMO_KEY}`, 'content-type': 'application/json', 'x-request-id': marker },
      body: JSON.stringify({ model: 'chat-oai', messages: [{ role: 'user', content: 'A123456789 secret prompt text' }] }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const line = gateway.output().split('\n').find((candidate) => candidate.includes(marker));
    expect(line).toBeDefined();
    // A national ID is restricted data and chat-oai is a public-API alias: refused, and logged as such.
    expect(JSON.parse(line ?? '{}')).toMatchObject({ request_id: marker, principal: 'demo', alias: 'chat-oai', data_class: 'restricted', status: 403 });
    expect(gateway.output()).not.toContain(DEMO_KEY);
    expect(gateway.output()).not.toContain(UPSTREAM_KEY);
    expect(gateway.output()).not.toContain('A123456789');
  });
});
