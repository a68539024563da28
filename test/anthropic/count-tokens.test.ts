import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicUpstream, type AnthropicUpstream } from '../support/anthropic-upstream.js';
import { headersFor, KEYS, startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.js';

/**
 * POST /v1/messages/count_tokens: forwarding the prompt to count it is egress, so it passes the
 * same gates as a call (docs/count-tokens.md); when the data may not go, it is counted locally.
 */

let upstream: AnthropicUpstream;
let gateway: GatewayUnderTest;

beforeAll(async () => {
  upstream = await startAnthropicUpstream();
  gateway = await startGatewayUnderTest(upstream.url);
});
afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
});
beforeEach(() => upstream.clear());

const count = (body: Record<string, unknown>, key: string = KEYS.dev) =>
  gateway.app.app.inject({ method: 'POST', url: '/v1/messages/count_tokens', headers: headersFor('anthropic', key), payload: JSON.stringify(body) });

const user = (content: unknown) => ({ messages: [{ role: 'user', content }] });

describe('POST /v1/messages/count_tokens', () => {
  it('asks the Anthropic target and says so, sending only the input fields', async () => {
    const response = await count({ model: 'claude', system: 'Be brief.', thinking: { type: 'enabled', budget_tokens: 1024 }, ...user('What is a switchyard?') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ input_tokens: 2095 });
    expect(response.headers['x-switchyard-token-count']).toBe('upstream');
    expect(response.headers['x-switchyard-deployment']).toBe('claude');
    expect(upstream.calls.map((call) => call.path)).toEqual(['/v1/messages/count_tokens']);
    const sent = JSON.parse(upstream.calls[0]?.body ?? '{}') as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['messages', 'model', 'system', 'thinking']);
    expect(sent.model).toBe('claude-sonnet-4-5');
  });

  it('masks what the policy masks before the count leaves', async () => {
    const response = await count({ model: 'claude', ...user('請聯絡林雅雯，電話 0912-345-678') });
    expect(response.headers['x-switchyard-token-count']).toBe('upstream');
    const body = upstream.calls[0]?.body ?? '';
    expect(body).not.toContain('0912-345-678');
    expect(body).toContain('[PHONE_1]');
  });

  it('counts restricted data locally: nothing leaves, and the count is marked estimated', async () => {
    const response = await count({ model: 'claude', ...user('身分證 A123456789 的申請進度？') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-switchyard-token-count']).toBe('estimated');
    expect(response.headers['x-switchyard-deployment']).toBeUndefined();
    expect((response.json() as { input_tokens: number }).input_tokens).toBeGreaterThan(5);
    expect(upstream.calls).toEqual([]);
  });

  it('counts a PDF locally when content the gateway cannot read may not reach the API tier', async () => {
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQKJcOkw7zDtsOf' } };
    const response = await count({ model: 'claude', ...user([pdf, { type: 'text', text: 'Summarise.' }]) });
    expect(response.headers['x-switchyard-token-count']).toBe('estimated');
    expect(upstream.calls).toEqual([]);
  });

  it('estimates with the tokenizer when the alias has no target that can count (mock, OpenAI-compatible)', async () => {
    for (const model of ['local', 'oai']) {
      const response = await count({ model, ...user('hello there') });
      expect(response.headers['x-switchyard-token-count'], model).toBe('estimated');
    }
    expect(upstream.calls).toEqual([]);
  });

  it('falls back to an estimate when every counting target is down', async () => {
    const response = await count({ model: 'claude-down', ...user('hello there') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-switchyard-token-count']).toBe('estimated');
    expect(upstream.calls.length).toBeGreaterThan(0);
  });

  it('applies access control like a call: a role may not count data above its class, nor an unknown alias', async () => {
    const refused = await count({ model: 'claude', ...user('請聯絡林雅雯，電話 0912-345-678') }, KEYS.intern);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ type: 'error', error: { type: 'permission_error', code: 'access_denied_data_class' } });
    const unknown = await count({ model: 'nope', ...user('hi') });
    expect(unknown.statusCode).toBe(404);
    const anonymous = await gateway.app.app.inject({ method: 'POST', url: '/v1/messages/count_tokens', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ model: 'claude', ...user('hi') }) });
    expect(anonymous.statusCode).toBe(401);
    expect(upstream.calls).toEqual([]);
  });

  it('is audited (not billed): the record names the API, the deployment asked and no tokens or cost', async () => {
    const response = await count({ model: 'claude', ...user('audit me') });
    const requestId = response.headers['x-request-id'];
    const audit = await gateway.app.app.inject({ method: 'GET', url: '/admin/audit?limit=200', headers: { authorization: `Bearer ${KEYS.admin}` } });
    const record = (audit.json() as { data: Array<Record<string, unknown>> }).data.find((entry) => entry.requestId === requestId);
    expect(record).toMatchObject({ inbound: 'anthropic-count-tokens', deployment: 'claude', httpStatus: 200 });
    expect(record?.tokens).toBeUndefined();
    expect(record?.costUsd ?? 0).toBe(0);
  });

  it('is rate-limited as one request with no tokens', async () => {
    const limited = await startGatewayUnderTest(upstream.url, 'rate_limits: { per_key: { default: { requests_per_minute: 2, tokens_per_minute: 5 } } }\n');
    try {
      const once = () =>
        limited.app.app.inject({ method: 'POST', url: '/v1/messages/count_tokens', headers: headersFor('anthropic'), payload: JSON.stringify({ model: 'claude', ...user('a prompt far longer than five tokens, counted twice') }) });
      // The token limit (5 a minute) is not charged: both counts pass, the third request is refused.
      expect((await once()).statusCode).toBe(200);
      expect((await once()).statusCode).toBe(200);
      const third = await once();
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    } finally {
      await limited.close();
    }
  });
});
