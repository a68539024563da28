import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicUpstream, type AnthropicUpstream } from '../support/anthropic-upstream.js';
import { headersFor, startGatewayUnderTest, type GatewayUnderTest } from './gateway-under-test.js';

/**
 * No silent drops, in every direction: a feature the serving target cannot honour is refused
 * with 400 `unsupported_parameter` naming it and the remedy, unless the alias lists it under
 * `drop_unsupported` (docs/configuration.md#dropping-unsupported-features).
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

const openai = (body: Record<string, unknown>) =>
  gateway.app.app.inject({ method: 'POST', url: '/v1/chat/completions', headers: headersFor('openai'), payload: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }) });
const anthropic = (body: Record<string, unknown>) =>
  gateway.app.app.inject({ method: 'POST', url: '/v1/messages', headers: headersFor('anthropic'), payload: JSON.stringify({ max_tokens: 2048, ...body }) });
const sentBody = () => JSON.parse(upstream.calls.at(-1)?.body ?? '{}') as Record<string, unknown>;

const THINKING = { type: 'enabled', budget_tokens: 1024 };
const DOCUMENT = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Q3 totals: 42.' }, title: 'Q3' };

describe('OpenAI inbound → Anthropic target', () => {
  it.each([
    ['seed', { seed: 7 }],
    ['n', { n: 2 }],
    ['response_format', { response_format: { type: 'json_object' } }],
  ])('refuses %s with 400 naming it and the remedy; nothing is sent', async (feature, extra) => {
    const response = await openai({ model: 'claude', ...extra });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'unsupported_parameter', param: feature, type: 'invalid_request_error', message: expect.stringContaining('drop_unsupported') } });
    expect(upstream.calls).toEqual([]);
  });

  it('drops them when the alias lists them under drop_unsupported', async () => {
    const response = await openai({ model: 'claude-lenient', seed: 7, n: 3, response_format: { type: 'json_object' } });
    expect(response.statusCode).toBe(200);
    const sent = sentBody();
    expect(sent).not.toHaveProperty('seed');
    expect(sent).not.toHaveProperty('n');
    expect(sent).not.toHaveProperty('response_format');
  });

  it('routes to the target that can honour the feature when the alias has one', async () => {
    for (let round = 0; round < 4; round += 1) {
      const response = await openai({ model: 'mixed', seed: 7 });
      expect(response.headers['x-switchyard-deployment']).toBe('oai');
      expect(sentBody()).toMatchObject({ seed: 7 });
    }
  });
});

describe('Anthropic inbound → OpenAI-compatible target', () => {
  it.each([
    ['thinking', { thinking: THINKING, messages: [{ role: 'user', content: 'hi' }] }],
    ['document', { messages: [{ role: 'user', content: [DOCUMENT, { type: 'text', text: 'total?' }] }] }],
    ['cache_control', { system: [{ type: 'text', text: 'long', cache_control: { type: 'ephemeral' } }], messages: [{ role: 'user', content: 'hi' }] }],
    ['top_k', { top_k: 5, messages: [{ role: 'user', content: 'hi' }] }],
    ['thinking', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'c2ln' }, { type: 'text', text: 'yes' }] }, { role: 'user', content: 'and?' }] }],
  ])('refuses %s in the Anthropic error shape; nothing is sent', async (feature, body) => {
    const response = await anthropic({ model: 'oai', ...body });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', code: 'unsupported_parameter', message: expect.stringContaining(`'${feature}'`) } });
    expect(upstream.calls).toEqual([]);
  });

  it('drops them when the alias allows, keeping the rest of the conversation', async () => {
    const response = await anthropic({
      model: 'oai-lenient',
      thinking: THINKING,
      top_k: 5,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [DOCUMENT, { type: 'text', text: 'total?' }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'c2ln' }] },
        { role: 'user', content: 'go on' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const sent = JSON.stringify(sentBody());
    for (const gone of ['cache_control', 'thinking', 'Q3 totals', 'top_k', 'hmm']) expect(sent).not.toContain(gone);
    // The assistant turn held only reasoning: it is removed rather than sent empty.
    expect((sentBody().messages as unknown[]).length).toBe(3);
  });
});

describe('Anthropic inbound → Anthropic target keeps everything', () => {
  it('forwards thinking, cache_control and documents unchanged (no guard canary in a cached prefix), and answers with the thinking blocks', async () => {
    // Long enough for the recorded usage (5,021 input tokens) to be believable, so it is not clamped.
    const rules = 'Ledger rule. '.repeat(400);
    const response = await anthropic({
      model: 'claude',
      thinking: THINKING,
      system: [{ type: 'text', text: 'You are an accountant.', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: rules }],
      messages: [{ role: 'user', content: [DOCUMENT, { type: 'text', text: 'total?', cache_control: { type: 'ephemeral' } }] }],
    });
    expect(response.statusCode).toBe(200);
    const sent = sentBody();
    expect(sent).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, system: [{ type: 'text', text: 'You are an accountant.', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'text', text: rules }] });
    expect((sent.messages as Array<{ content: unknown[] }>)[0]?.content).toEqual([
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Q3 totals: 42.' }, title: 'Q3' },
      { type: 'text', text: 'total?', cache_control: { type: 'ephemeral' } },
    ]);
    const body = response.json() as { content: Array<{ type: string }>; usage: Record<string, number> };
    expect(body.content.map((block) => block.type)).toEqual(['thinking', 'redacted_thinking', 'text']);
    expect(body.usage).toMatchObject({ input_tokens: 21, cache_read_input_tokens: 3200, cache_creation_input_tokens: 1800 });
  });

  it('refuses an inline PDF for the API tier (unscanned content is restricted here) rather than sending it', async () => {
    const pdf = { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjQKJcOkw7zDtsOf' } };
    const response = await anthropic({ model: 'claude', messages: [{ role: 'user', content: [pdf, { type: 'text', text: 'Summarise.' }] }] });
    expect(response.statusCode).toBe(403);
    expect(upstream.calls).toEqual([]);
  });
});
