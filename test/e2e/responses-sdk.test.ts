import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * The Responses API and legacy completions as users reach them: the official `openai` SDK
 * against a real gateway process, served by an OpenAI-compatible and an Anthropic deployment
 * (a mock upstream process speaking both wires).
 */

const KEY = 'sy-e2e-responses-key-0123456789';
const OTHER_KEY = 'sy-e2e-responses-other-0123456789';
const UPSTREAM_KEY = 'upstream-secret-responses-42';

let upstream: RunningProcess;
let gateway: RunningProcess;
let client: OpenAI;
let other: OpenAI;

beforeAll(async () => {
  upstream = await startSwitchyard(['mock-upstream', '--port', '0', '--api-key-env', 'E2E_UPSTREAM_KEY'], { E2E_UPSTREAM_KEY: UPSTREAM_KEY });
  const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: demo, key: "\${env:E2E_KEY}" }
    - { id: other, key: "\${env:E2E_OTHER_KEY}" }
deployments:
  - { id: oai, tier: api, provider: openai-compatible, base_url: "${upstream.url}/v1", api_key: "\${env:E2E_UPSTREAM_KEY}" }
  - { id: claude, tier: api, provider: anthropic, base_url: "${upstream.url}", api_key: "\${env:E2E_UPSTREAM_KEY}" }
models:
  - { alias: chat-oai, targets: [{ deployment: oai, model: gpt-4o-mini }] }
  - { alias: chat-claude, targets: [{ deployment: claude, model: claude-sonnet-4-5 }] }
audit: { default_capture: full }
responses: { store: { enabled: true, retention_hours: 2 } }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_KEY: KEY, E2E_OTHER_KEY: OTHER_KEY, E2E_UPSTREAM_KEY: UPSTREAM_KEY });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
  other = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: OTHER_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

const tools: OpenAI.Responses.FunctionTool[] = [
  { type: 'function', name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }, strict: true },
];

describe('client.responses through the gateway', () => {
  it.each(['chat-oai', 'chat-claude'])('creates a response on %s, with output_text and usage', async (model) => {
    const response = await client.responses.create({ model, input: '請問台北今天天氣如何？', instructions: 'Be brief.', max_output_tokens: 64, temperature: 0.2, metadata: { case: 'e2e' } });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('請問台北今天天氣如何？');
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.metadata).toEqual({ case: 'e2e' });
  });

  it('streams typed events whose deltas assemble the answer', async () => {
    const stream = await client.responses.create({ model: 'chat-oai', input: 'Stream me this sentence, 一字不漏 please.', stream: true });
    const types: string[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(text).toBe('Stream me this sentence, 一字不漏 please.');
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.at(-1)).toBe('response.completed');
    expect(completed?.usage?.output_tokens).toBeGreaterThan(0);
  });

  it('runs a function-tool round trip with previous_response_id, on both vendors', async () => {
    for (const model of ['chat-oai', 'chat-claude']) {
      const first = await client.responses.create({ model, input: 'What is the weather in Taipei? call:get_weather', tools });
      const call = first.output.find((item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === 'function_call');
      expect(call?.name).toBe('get_weather');
      expect(JSON.parse(call!.arguments)).toHaveProperty('city');
      const second = await client.responses.create({ model, previous_response_id: first.id, tools, input: [{ type: 'function_call_output', call_id: call!.call_id, output: '{"temp_c":21}' }] });
      expect(second.status).toBe('completed');
      expect(second.previous_response_id).toBe(first.id);
      expect(second.output.some((item) => item.type === 'message')).toBe(true);
    }
  });

  it('streams a function call as argument deltas', async () => {
    const stream = await client.responses.create({ model: 'chat-oai', input: 'call:get_weather', tools, stream: true });
    let args = '';
    let done: string | undefined;
    for await (const event of stream) {
      if (event.type === 'response.function_call_arguments.delta') args += event.delta;
      if (event.type === 'response.function_call_arguments.done') done = event.arguments;
    }
    expect(done).toBe(args);
    expect(JSON.parse(args)).toHaveProperty('city');
  });

  it('retrieves and deletes a stored response; another key cannot see it', async () => {
    const created = await client.responses.create({ model: 'chat-oai', input: 'remember this' });
    const retrieved = await client.responses.retrieve(created.id);
    expect(retrieved.output_text).toBe('remember this');
    await expect(other.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404, code: 'response_not_found' });
    await client.responses.delete(created.id);
    await expect(client.responses.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it('refuses a built-in tool with a 400 naming it', async () => {
    await expect(client.responses.create({ model: 'chat-oai', input: 'x', tools: [{ type: 'web_search' }] })).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_feature',
      param: 'tools[0].type',
    });
  });
});

describe('client.completions through the gateway', () => {
  it('completes a prompt', async () => {
    const completion = await client.completions.create({ model: 'chat-claude', prompt: 'Once upon a time', max_tokens: 40 });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices[0]?.text).toBe('Once upon a time');
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams a completion', async () => {
    const stream = await client.completions.create({ model: 'chat-oai', prompt: 'one two three four', max_tokens: 40, stream: true });
    let text = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe('one two three four');
    expect(finish).toBe('stop');
  });

  it('refuses suffix by name', async () => {
    await expect(client.completions.create({ model: 'chat-oai', prompt: 'x', suffix: 'y' })).rejects.toMatchObject({ status: 400, code: 'unsupported_feature', param: 'suffix' });
  });
});
