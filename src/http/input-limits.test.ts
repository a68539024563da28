import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { createLogger } from '../observability/logger.js';
import { createGatewayRuntime } from '../pipeline/gateway-runtime.js';
import { createSharedServices, type SharedServices } from '../pipeline/shared-services.js';
import { DEFAULT_INPUT_LIMITS, jsonNestingDepth } from '../wire/input-limits.js';
import { buildApp, type GatewayApp } from './app.js';

/**
 * Every input limit at limit + 1 is a 400 naming the limit — on the OpenAI and the Anthropic
 * routes, with the default limits — and exactly the limit is accepted. Tool-call arguments
 * nested 10^5 deep (what overflowed the policy walker's stack before) are a 400, not a 500.
 */

const CONFIG = `
storage: { url: "sqlite::memory:" }
audit: { enabled: false }
auth:
  keys:
    - { id: demo, key: "\${env:LIMITS_TEST_KEY}" }
deployments:
  - { id: local, tier: on-prem, provider: mock }
  - { id: local-embed, tier: on-prem, provider: mock, mock: { embedding_dimensions: 4 } }
models:
  - { alias: chat, targets: [{ deployment: local, model: mock-1 }] }
  - { alias: embed, type: embedding, targets: [{ deployment: local-embed, model: mock-embed }] }
`;
const LIMITS = DEFAULT_INPUT_LIMITS;
const headers = { authorization: 'Bearer limits-test-key', 'x-api-key': 'limits-test-key', 'content-type': 'application/json' };

let gateway: GatewayApp;
let services: SharedServices;

beforeAll(async () => {
  const loaded = parseConfigText(CONFIG, 'limits-test.yaml', { LIMITS_TEST_KEY: 'limits-test-key' });
  services = await createSharedServices(loaded);
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') });
});
afterAll(async () => {
  await gateway.app.close();
  await services.close();
});

const nested = (depth: number, leaf = '1') => '['.repeat(depth) + leaf + ']'.repeat(depth);
const post = (url: string, payload: string | object) =>
  gateway.app.inject({ method: 'POST', url, headers, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
const chat = (body: Record<string, unknown>) => post('/v1/chat/completions', { model: 'chat', max_tokens: 5, ...body });
const user = (text: string) => ({ role: 'user', content: text });
const toolTurn = (argumentsText: string) => [
  user('call the tool'),
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: argumentsText } }] },
  { role: 'tool', tool_call_id: 'call_1', content: 'done' },
];

function expectLimit(response: { statusCode: number; body: string }, setting: string): void {
  expect(response.statusCode, response.body).toBe(400);
  const body = JSON.parse(response.body) as { error?: { message: string; type?: string }; type?: string };
  expect(body.error?.message).toContain(`server.input_limits.${setting}`);
}

describe('input limits at decode time', () => {
  it('tool-call arguments nested 10^5 deep (200 KB) are a 400, not a 500', async () => {
    const response = await chat({ messages: toolTurn(nested(100_000)) });
    expectLimit(response, 'max_json_depth');
    expect(JSON.parse(response.body).error.param).toBe('messages[1].tool_calls[0].function.arguments');
  });

  it('JSON nesting: the body and JSON carried in strings, at the limit accepted, at limit + 1 refused', async () => {
    // The body itself: the request object is level 1, so `metadata` may nest limit - 1 deep.
    const deepBody = (depth: number) => `{"model":"chat","max_tokens":5,"messages":[{"role":"user","content":"x"}],"metadata":${nested(depth)}}`;
    expectLimit(await post('/v1/chat/completions', deepBody(LIMITS.max_json_depth)), 'max_json_depth');
    expect((await post('/v1/chat/completions', deepBody(LIMITS.max_json_depth - 1))).statusCode).toBe(200);
    expect((await chat({ messages: toolTurn(nested(LIMITS.max_json_depth)) })).statusCode).toBe(200);
    expectLimit(await chat({ messages: toolTurn(nested(LIMITS.max_json_depth + 1)) }), 'max_json_depth');
    // A JSON tool result is walked too.
    const toolResult = [...toolTurn('{}').slice(0, 2), { role: 'tool', tool_call_id: 'call_1', content: nested(LIMITS.max_json_depth + 1) }];
    expectLimit(await chat({ messages: toolResult }), 'max_json_depth');
    // Brackets inside JSON strings do not count.
    expect(jsonNestingDepth(`{"a":"${'['.repeat(500)}"}`, 64)).toBe(1);
  });

  it('messages, content parts, tools, embedding inputs and string length, each at limit + 1', async () => {
    const messages = (count: number) => Array.from({ length: count }, (_, index) => user(`m${index}`));
    expect((await chat({ messages: messages(LIMITS.max_messages) })).statusCode).toBe(200);
    expectLimit(await chat({ messages: messages(LIMITS.max_messages + 1) }), 'max_messages');

    const parts = (count: number) => [{ role: 'user', content: Array.from({ length: count }, (_, index) => ({ type: 'text', text: `p${index}` })) }];
    expect((await chat({ messages: parts(LIMITS.max_content_parts) })).statusCode).toBe(200);
    expectLimit(await chat({ messages: parts(LIMITS.max_content_parts + 1) }), 'max_content_parts');

    const tools = Array.from({ length: LIMITS.max_tools + 1 }, (_, index) => ({ type: 'function', function: { name: `t${index}`, parameters: { type: 'object', properties: {} } } }));
    expectLimit(await chat({ messages: [user('hi')], tools }), 'max_tools');

    const inputs = Array.from({ length: LIMITS.max_embedding_inputs + 1 }, (_, index) => `i${index}`);
    expectLimit(await post('/v1/embeddings', { model: 'embed', input: inputs }), 'max_embedding_inputs');
    expect((await post('/v1/embeddings', { model: 'embed', input: inputs.slice(1) })).statusCode).toBe(200);

    const long = 'a'.repeat(LIMITS.max_string_length + 1);
    const refused = await chat({ messages: [user(long)] });
    expectLimit(refused, 'max_string_length');
    expect(JSON.parse(refused.body).error.param).toBe('messages[0].content');
  });

  it('the Anthropic route enforces the same limits, in its own error shape', async () => {
    const base = { model: 'chat', max_tokens: 5 };
    const deep = await post('/v1/messages', {
      ...base,
      messages: [
        { role: 'user', content: 'use the tool' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'tu_1', name: 'lookup', input: { a: JSON.parse(nested(20)) } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: nested(100_000) }] },
      ],
    });
    expect(deep.statusCode, deep.body).toBe(400);
    const body = JSON.parse(deep.body) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.message).toContain('server.input_limits.max_json_depth');
    const system = await post('/v1/messages', { ...base, system: Array.from({ length: LIMITS.max_content_parts + 1 }, () => ({ type: 'text', text: 's' })), messages: [{ role: 'user', content: 'hi' }] });
    expect(system.statusCode).toBe(400);
    expect(system.body).toContain('max_content_parts');
  });
});
