import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { createLogger } from '../observability/logger.js';
import { createGatewayRuntime } from '../assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices as SharedServices } from '../assembly/create-shared-services.js';
import { findOpenAISpecPath, loadOpenApiSpec, validateAgainstSchema, type OpenApiSpec } from '../../test/support/openapi-validate.js';
import { buildApp, type GatewayApp } from './app.js';

/**
 * In-process checks of the HTTP surface with the in-process mock provider: every body the
 * gateway returns on OpenAI routes must validate against the official OpenAI specification.
 */

const specPath = findOpenAISpecPath();
if (!specPath) {
  if (process.env.CI === 'true') throw new Error('../shared/reference/openai-openapi/openapi.yaml is missing under CI=true');
  console.warn('[skip notice] ../shared is absent: OpenAI spec validation of gateway responses is skipped');
}
const spec: OpenApiSpec | undefined = specPath ? loadOpenApiSpec(specPath) : undefined;

const CONFIG = `
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: demo, key: "\${env:APP_TEST_KEY}" }
deployments:
  - { id: local, tier: on-prem, provider: mock }
  - { id: local-embed, tier: on-prem, provider: mock, mock: { embedding_dimensions: 4 } }
models:
  - { alias: chat, targets: [{ deployment: local, model: mock-1 }] }
  - { alias: embed, type: embedding, targets: [{ deployment: local-embed, model: mock-embed }] }
`;

let gateway: GatewayApp;
const headers = { authorization: 'Bearer app-test-key', 'content-type': 'application/json' };

let services: SharedServices;

beforeAll(async () => {
  const loaded = parseConfigText(CONFIG, 'app-test.yaml', { APP_TEST_KEY: 'app-test-key' });
  services = await createSharedServices(loaded);
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') });
});
afterAll(async () => {
  await gateway.app.close();
  await services.close();
});

function expectValid(schemaName: string, value: unknown): void {
  if (!spec) return;
  expect(validateAgainstSchema(spec, schemaName, value)).toEqual([]);
}

function sseData(payload: string): unknown[] {
  return payload
    .split('\n\n')
    .filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
    .map((block) => JSON.parse(block.slice(6)) as unknown);
}

describe.skipIf(!spec && process.env.CI !== 'true')('OpenAI responses validate against the official spec', () => {
  it('chat completion', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers,
      payload: { model: 'chat', messages: [{ role: 'user', content: '統一編號 12345675 hello' }] },
    });
    expect(response.statusCode).toBe(200);
    expectValid('CreateChatCompletionResponse', response.json());
  });

  it('chat completion with tool calls', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers,
      payload: {
        model: 'chat',
        messages: [{ role: 'user', content: 'weather' }],
        tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }],
        tool_choice: 'required',
      },
    });
    const body = response.json() as { choices: Array<{ message: { tool_calls: unknown[] } }> };
    expect(body.choices[0]?.message.tool_calls).toHaveLength(1);
    expectValid('CreateChatCompletionResponse', body);
  });

  it('every stream chunk, including the usage chunk', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers,
      payload: { model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'one two three four' }] },
    });
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(response.payload.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseData(response.payload);
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expectValid('CreateChatCompletionStreamResponse', chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it('embeddings and the model list', async () => {
    const embeddings = await gateway.app.inject({ method: 'POST', url: '/v1/embeddings', headers, payload: { model: 'embed', input: 'x', encoding_format: 'float' } });
    expectValid('CreateEmbeddingResponse', embeddings.json());
    const models = await gateway.app.inject({ method: 'GET', url: '/v1/models', headers });
    expectValid('ListModelsResponse', models.json());
  });

  it('errors', async () => {
    const notFound = await gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload: { model: 'nope', messages: [{ role: 'user', content: 'x' }] } });
    expect(notFound.statusCode).toBe(404);
    expectValid('ErrorResponse', notFound.json());
    const badJson = await gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers, payload: '{"model":' });
    expect(badJson.statusCode).toBe(400);
    expectValid('ErrorResponse', badJson.json());
  });
});

describe('HTTP behaviour', () => {
  it('refuses a non-JSON body with 415', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: headers.authorization, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('keeps a well-formed client request id and replaces a hostile one', async () => {
    const kept = await gateway.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers['x-request-id']).toBe('trace-123');
    const replaced = await gateway.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id\u0000<script>' } });
    expect(replaced.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
  });

  it('puts the request id on every kind of answer: served, refused, unparsable, unknown route', async () => {
    const answers = await Promise.all([
      gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...headers, 'x-request-id': 'id-served' }, payload: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] } }),
      gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { 'x-request-id': 'id-refused' }, payload: { model: 'chat', messages: [] } }),
      gateway.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: { ...headers, 'content-type': 'application/json', 'x-request-id': 'id-unparsable' }, payload: '{"model":' }),
      gateway.app.inject({ method: 'GET', url: '/v1/nowhere', headers: { 'x-request-id': 'id-unknown' } }),
    ]);
    expect(answers.map((answer) => [answer.statusCode, answer.headers['x-request-id']])).toEqual([
      [200, 'id-served'],
      [401, 'id-refused'],
      [400, 'id-unparsable'],
      [404, 'id-unknown'],
    ]);
  });

  it('serves Anthropic-shaped errors on /v1/messages', async () => {
    const response = await gateway.app.inject({ method: 'POST', url: '/v1/messages', headers, payload: { model: 'chat', messages: [] } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_request' } });
  });

  it('answers Anthropic clients with the Anthropic model list', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/v1/models', headers: { ...headers, 'anthropic-version': '2023-06-01' } });
    expect(response.json()).toMatchObject({ data: [{ type: 'model', id: 'chat' }, { type: 'model', id: 'embed' }], has_more: false });
  });
});
