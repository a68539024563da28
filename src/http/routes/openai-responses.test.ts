import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../assembly/load-config.js';
import { createLogger } from '../../observability/logger.js';
import { createGatewayRuntime } from '../../assembly/create-gateway-runtime.js';
import { createSharedServices, type AssembledServices as SharedServices } from '../../assembly/create-shared-services.js';
import { getMockRequestLog } from '../../providers/mock/index.js';
import { findOpenAISpecPath, loadOpenApiSpec, validateAgainstSchema, type OpenApiSpec } from '../../../test/support/openapi-validate.js';
import { RESPONSES_EVENT_SCHEMAS } from '../../../test/support/responses-event-schemas.js';
import { buildApp, type GatewayApp } from '../app.js';

/**
 * POST/GET/DELETE /v1/responses and POST /v1/completions in process, with the mock provider
 * behind a masking rule: bodies and events validate against the official spec, a chained
 * request is policed again on what leaves, storage follows the audit capture mode and is
 * scoped to the caller.
 */

const specPath = findOpenAISpecPath();
if (!specPath && process.env.CI === 'true') throw new Error('../shared/reference/openai-openapi/openapi.yaml is missing under CI=true');
const spec: OpenApiSpec | undefined = specPath ? loadOpenApiSpec(specPath) : undefined;
const expectValid = (schema: string, value: unknown) => {
  if (spec) expect(validateAgainstSchema(spec, schema, value)).toEqual([]);
};

const PHONE = '0912-345-678';
const PERSON = '林雅雯';

function config(deployment: string, extra: string): string {
  return `
storage: { url: "sqlite::memory:" }
auth:
  keys:
    - { id: alice, key: "\${env:KEY_A}" }
    - { id: bob, key: "\${env:KEY_B}" }
deployments:
  - { id: ${deployment}, tier: api, provider: mock, mock: { answers: [{ when: "^ask twice", reply: "second answer" }] } }
models:
  - { alias: chat, targets: [{ deployment: ${deployment}, model: mock-1 }] }
policy:
  rules:
    - { name: pii-masked, match: { data_class_at_least: confidential }, allow_tiers: [api], mask: [PERSON, PHONE] }
    - { name: default, allow_tiers: [api] }
${extra}`;
}

async function start(deployment: string, extra: string): Promise<{ gateway: GatewayApp; services: SharedServices }> {
  const loaded = parseConfigText(config(deployment, extra), 'responses-test.yaml', { KEY_A: 'key-alice', KEY_B: 'key-bob' });
  const services = await createSharedServices(loaded);
  return { gateway: buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent') }), services };
}

const alice = { authorization: 'Bearer key-alice', 'content-type': 'application/json' };
const bob = { authorization: 'Bearer key-bob', 'content-type': 'application/json' };
/** GET and DELETE carry no body, so no content type (as the SDK sends them). */
const aliceRead = { authorization: alice.authorization };
const bobRead = { authorization: bob.authorization };

let full: Awaited<ReturnType<typeof start>>;
let hashed: Awaited<ReturnType<typeof start>>;
let off: Awaited<ReturnType<typeof start>>;
let unaudited: Awaited<ReturnType<typeof start>>;

beforeAll(async () => {
  full = await start('full-mock', 'audit: { default_capture: full }\nresponses: { store: { enabled: true, retention_hours: 1 } }');
  hashed = await start('hash-mock', 'audit: { default_capture: full, capture: { confidential: hash } }\nresponses: { store: { enabled: true } }');
  off = await start('off-mock', '');
  unaudited = await start('unaudited-mock', 'audit: { enabled: false }\nresponses: { store: { enabled: true } }');
});
afterAll(async () => {
  for (const running of [full, hashed, off, unaudited]) {
    await running?.gateway.app.close();
    await running?.services.close();
  }
});

const post = (target: typeof full, payload: unknown, headers = alice, url = '/v1/responses') => target.gateway.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });

function events(payload: string): Array<Record<string, unknown>> {
  return payload
    .split('\n\n')
    .filter(Boolean)
    .map((block) => JSON.parse(block.split('\n')[1]!.slice('data: '.length)) as Record<string, unknown>);
}

describe('POST /v1/responses', () => {
  it('answers with a spec-valid response object, with usage and routing headers', async () => {
    const response = await post(full, { model: 'chat', input: 'hello there', instructions: 'Be brief.', metadata: { ticket: 'T-1' } });
    expect(response.statusCode).toBe(200);
    const body = response.json() as Record<string, unknown>;
    expectValid('Response', body);
    expect(body).toMatchObject({ object: 'response', status: 'completed', store: true, metadata: { ticket: 'T-1' }, instructions: 'Be brief.' });
    expect(body.output).toMatchObject([{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'hello there' }] }]);
    expect(body.usage).toMatchObject({ input_tokens: expect.any(Number), output_tokens: expect.any(Number), total_tokens: expect.any(Number) });
    expect(response.headers['x-switchyard-deployment']).toBe('full-mock');
    // Audited like any request, as the Responses API, with the metered usage.
    const [record] = await full.services.storage.executor.all<{ body: string }>('SELECT body FROM audit_records WHERE request_id = ?', [String(response.headers['x-request-id'])]);
    expect(JSON.parse(record!.body)).toMatchObject({ inbound: 'openai-responses', alias: 'chat', deployment: 'full-mock', tokens: { input: expect.any(Number), output: expect.any(Number) } });
  });

  it('streams the typed events, each spec-valid, numbered from 0', async () => {
    const response = await post(full, { model: 'chat', input: 'stream this please', stream: true });
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const all = events(response.payload);
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, index) => index));
    expect(all[0]?.type).toBe('response.created');
    expect(all.at(-1)).toMatchObject({ type: 'response.completed', response: { status: 'completed', store: true, output: [{ content: [{ text: 'stream this please' }] }] } });
    const text = all.filter((event) => event.type === 'response.output_text.delta').map((event) => event.delta).join('');
    expect(text).toBe('stream this please');
    // A completed stream is stored as the client saw it.
    const id = (all.at(-1)!.response as { id: string }).id;
    expect((await full.gateway.app.inject({ method: 'GET', url: `/v1/responses/${id}`, headers: aliceRead })).json()).toEqual(all.at(-1)!.response);
    for (const event of all) expectValid(RESPONSES_EVENT_SCHEMAS[String(event.type)]!, event);
  });

  it('calls a function tool and takes its output on the next turn by previous_response_id', async () => {
    const tools = [{ type: 'function', name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true }];
    const first = (await post(full, { model: 'chat', input: 'weather? call:get_weather', tools })).json() as { id: string; output: Array<Record<string, unknown>> };
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ name: 'get_weather', status: 'completed', call_id: expect.any(String) });
    const second = await post(full, { model: 'chat', previous_response_id: first.id, tools, input: [{ type: 'function_call_output', call_id: call!.call_id, output: '{"temp":21}' }] });
    expect(second.statusCode).toBe(200);
    expectValid('Response', second.json());
    const upstream = getMockRequestLog('full-mock')!.entries().at(-1)!.body as { messages: Array<{ role: string; toolCalls?: unknown[]; toolCallId?: string }> };
    expect(upstream.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect(upstream.messages[2]?.toolCallId).toBe(call!.call_id);
  });

  it('polices a chained request again on exactly what leaves: earlier PII is masked upstream, restored for the caller', async () => {
    const first = await post(full, { model: 'chat', input: `Call ${PERSON} at ${PHONE}.` });
    expect(first.headers['x-switchyard-data-class']).toBe('confidential');
    const stored = first.json() as { id: string; output: Array<{ content: Array<{ text: string }> }> };
    expect(stored.output[0]?.content[0]?.text).toContain(PHONE);
    const second = await post(full, { model: 'chat', previous_response_id: stored.id, input: 'ask twice' });
    expect(second.statusCode).toBe(200);
    expect(second.headers['x-switchyard-data-class']).toBe('confidential');
    expect(second.headers['x-switchyard-route-rule']).toBe('pii-masked');
    const sent = JSON.stringify(getMockRequestLog('full-mock')!.entries().at(-1)!.body);
    expect(sent).toContain('ask twice');
    expect(sent).not.toContain(PHONE);
    expect(sent).not.toContain(PERSON);
  });

  it('retrieves and deletes a stored response, only for its own caller', async () => {
    const created = (await post(full, { model: 'chat', input: 'keep me' })).json() as { id: string };
    const mine = await full.gateway.app.inject({ method: 'GET', url: `/v1/responses/${created.id}`, headers: aliceRead });
    expect(mine.statusCode).toBe(200);
    expectValid('Response', mine.json());
    expect(mine.json()).toMatchObject({ id: created.id, output: [{ content: [{ text: 'keep me' }] }] });
    const theirs = await full.gateway.app.inject({ method: 'GET', url: `/v1/responses/${created.id}`, headers: bobRead });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ error: { code: 'response_not_found' } });
    expectValid('ErrorResponse', theirs.json());
    expect((await post(full, { model: 'chat', previous_response_id: created.id, input: 'x' }, bob)).json()).toMatchObject({ error: { code: 'response_not_found', param: 'previous_response_id' } });
    expect((await full.gateway.app.inject({ method: 'DELETE', url: `/v1/responses/${created.id}`, headers: bobRead })).statusCode).toBe(404);
    // A bodiless DELETE with a JSON content type (as curl scripts send it) is not an empty-JSON error.
    const deleted = await full.gateway.app.inject({ method: 'DELETE', url: `/v1/responses/${created.id}`, headers: alice });
    expect(deleted.json()).toEqual({ id: created.id, object: 'response', deleted: true });
    expect((await full.gateway.app.inject({ method: 'GET', url: `/v1/responses/${created.id}`, headers: aliceRead })).statusCode).toBe(404);
  });

  it('does not store when the client says store: false', async () => {
    const created = (await post(full, { model: 'chat', input: 'forget me', store: false })).json() as { id: string; store: boolean };
    expect(created.store).toBe(false);
    expect((await full.gateway.app.inject({ method: 'GET', url: `/v1/responses/${created.id}`, headers: aliceRead })).statusCode).toBe(404);
  });

  it('keeps no text where the audit keeps only a hash, and says so when chained', async () => {
    const created = (await post(hashed, { model: 'chat', input: `Call ${PERSON} at ${PHONE}.` })).json() as { id: string; store: boolean };
    expect(created.store).toBe(false);
    const chained = await post(hashed, { model: 'chat', previous_response_id: created.id, input: 'again' });
    expect(chained.statusCode).toBe(404);
    expect(chained.json()).toMatchObject({ error: { code: 'response_not_stored', param: 'previous_response_id', message: expect.stringContaining("'hash'") } });
    const publicText = (await post(hashed, { model: 'chat', input: 'nothing personal' })).json() as { store: boolean };
    expect(publicText.store).toBe(true);
  });

  it('keeps no text when the audit is disabled (nothing may be kept)', async () => {
    const created = (await post(unaudited, { model: 'chat', input: 'nothing personal' })).json() as { id: string; store: boolean };
    expect(created.store).toBe(false);
    expect((await post(unaudited, { model: 'chat', previous_response_id: created.id, input: 'x' })).json()).toMatchObject({ error: { code: 'response_not_stored' } });
  });

  it('refuses previous_response_id, GET and DELETE with a 400 naming the setting when storage is off', async () => {
    const created = (await post(off, { model: 'chat', input: 'hi' })).json() as { id: string; store: boolean };
    expect(created.store).toBe(false);
    for (const response of [
      await post(off, { model: 'chat', previous_response_id: created.id, input: 'x' }),
      await off.gateway.app.inject({ method: 'GET', url: `/v1/responses/${created.id}`, headers: aliceRead }),
      await off.gateway.app.inject({ method: 'DELETE', url: `/v1/responses/${created.id}`, headers: aliceRead }),
    ]) {
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'response_store_disabled', message: expect.stringContaining('responses.store.enabled') } });
    }
  });

  it('refuses built-in tools and background mode by name, in the OpenAI error shape', async () => {
    const webSearch = await post(full, { model: 'chat', input: 'x', tools: [{ type: 'web_search' }] });
    expect(webSearch.statusCode).toBe(400);
    expectValid('ErrorResponse', webSearch.json());
    expect(webSearch.json()).toMatchObject({ error: { code: 'unsupported_feature', param: 'tools[0].type', type: 'invalid_request_error' } });
    expect((await post(full, { model: 'chat', input: 'x', background: true })).json()).toMatchObject({ error: { code: 'unsupported_feature', param: 'background' } });
  });

  it('bounds input items and their parts by the input limits', async () => {
    const tooMany = await post(full, { model: 'chat', input: Array.from({ length: 2_049 }, () => ({ role: 'user', content: 'x' })) });
    expect(tooMany.json()).toMatchObject({ error: { code: 'invalid_request', param: 'input', message: expect.stringContaining('max_messages') } });
    const parts = Array.from({ length: 1_025 }, () => ({ type: 'input_text', text: 'x' }));
    const tooManyParts = await post(full, { model: 'chat', input: [{ role: 'user', content: parts }] });
    expect(tooManyParts.json()).toMatchObject({ error: { param: 'input[0].content', message: expect.stringContaining('max_content_parts') } });
  });

  it('does not replay a stored response as a stream', async () => {
    const created = (await post(full, { model: 'chat', input: 'once' })).json() as { id: string };
    const replay = await full.gateway.app.inject({ method: 'GET', url: `/v1/responses/${created.id}?stream=true`, headers: aliceRead });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ error: { code: 'unsupported_feature', param: 'stream' } });
  });

  it('authenticates before reading the body', async () => {
    const response = await post(full, { nonsense: true }, { authorization: 'Bearer wrong', 'content-type': 'application/json' });
    expect(response.statusCode).toBe(401);
  });
});

describe('POST /v1/completions', () => {
  it('answers a text_completion, spec-valid, through the chat pipeline', async () => {
    const response = await post(full, { model: 'chat', prompt: 'Once upon a time', max_tokens: 50 }, alice, '/v1/completions');
    expect(response.statusCode).toBe(200);
    expectValid('CreateCompletionResponse', response.json());
    expect(response.json()).toMatchObject({ object: 'text_completion', choices: [{ text: 'Once upon a time', finish_reason: 'stop' }] });
  });

  it('streams text_completion chunks ending in [DONE]', async () => {
    const response = await post(full, { model: 'chat', prompt: 'a b c d', max_tokens: 50, stream: true, stream_options: { include_usage: true } }, alice, '/v1/completions');
    expect(response.payload.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = response.payload.split('\n\n').filter((block) => block.startsWith('data: {')).map((block) => JSON.parse(block.slice(6)) as { choices: Array<{ text: string; finish_reason: string | null }>; usage?: unknown });
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe('a b c d');
    expect(chunks.at(-1)?.usage).toBeDefined();
    for (const chunk of chunks.filter((item) => item.choices[0]?.finish_reason !== null)) expectValid('CreateCompletionResponse', chunk);
  });

  it('masks PII in the prompt like any chat request', async () => {
    const response = await post(full, { model: 'chat', prompt: `Phone ${PHONE}`, max_tokens: 50 }, alice, '/v1/completions');
    expect(response.headers['x-switchyard-route-rule']).toBe('pii-masked');
    expect(JSON.stringify(getMockRequestLog('full-mock')!.entries().at(-1)!.body)).not.toContain(PHONE);
    expect(response.json()).toMatchObject({ choices: [{ text: `Phone ${PHONE}` }] });
  });

  it('refuses suffix and echo by name', async () => {
    for (const [extra, param] of [[{ suffix: 'end' }, 'suffix'], [{ echo: true }, 'echo']] as const) {
      const response = await post(full, { model: 'chat', prompt: 'x', ...extra }, alice, '/v1/completions');
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ error: { code: 'unsupported_feature', param } });
    }
  });
});
