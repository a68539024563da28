import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicUpstream, type AnthropicUpstream } from '../support/anthropic-upstream.js';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * The official `@anthropic-ai/sdk` through a real gateway process to a recording Anthropic
 * upstream: countTokens, thinking + cache_control + documents, streamed thinking — and what
 * the upstream received (masked, nothing the gateway could not read).
 */

const KEY = 'sy-e2e-anthropic-fidelity-0123456789';
let upstream: AnthropicUpstream;
let gateway: RunningProcess;
let client: Anthropic;

beforeAll(async () => {
  upstream = await startAnthropicUpstream();
  const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: app, key: "\${env:E2E_KEY}" }
deployments:
  - { id: claude, tier: api, provider: anthropic, base_url: "${upstream.url}" }
models:
  - { alias: claude, targets: [{ deployment: claude, model: claude-sonnet-4-5 }] }
policy:
  unscanned_content_class: restricted
  rules:
    - { name: restricted-on-prem, match: { data_class_at_least: restricted }, allow_tiers: [on-prem] }
    - { name: pii-masked, match: { data_class: [confidential] }, allow_tiers: [api], mask: [PHONE, PERSON] }
    - { name: default, allow_tiers: [api] }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_KEY: KEY });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});
beforeEach(() => upstream.clear());

const lastSent = () => JSON.parse(upstream.calls.at(-1)?.body ?? '{}') as Record<string, unknown>;
const PHONE = '0912-345-678';
/** Long enough that the recorded usage (5,021 input tokens) is believable and not clamped. */
const RULES = 'Ledger rule. '.repeat(400);

describe('@anthropic-ai/sdk through Switchyard', () => {
  it('messages.countTokens is answered by the upstream, marked so, with only the input fields sent', async () => {
    const { data, response } = await client.messages
      .countTokens({ model: 'claude', system: 'Be brief.', thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'What is a switchyard?' }] })
      .withResponse();
    expect(data.input_tokens).toBe(2095);
    expect(response.headers.get('x-switchyard-token-count')).toBe('upstream');
    expect(upstream.calls.map((call) => call.path)).toEqual(['/v1/messages/count_tokens']);
    expect(Object.keys(lastSent()).sort()).toEqual(['messages', 'model', 'system', 'thinking']);
  });

  it('messages.create with thinking, cache_control and a document: forwarded, masked, thinking returned', async () => {
    const message = await client.messages.create({
      model: 'claude',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      system: [
        { type: 'text', text: 'You are an accountant.' },
        { type: 'text', text: RULES, cache_control: { type: 'ephemeral' } },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: `Invoice for 林雅雯, phone ${PHONE}. Total 42.` }, title: 'Invoice', cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'What is the total?' },
          ],
        },
      ],
    });
    expect(message.content.map((block) => block.type)).toEqual(['thinking', 'redacted_thinking', 'text']);
    const thinking = message.content[0];
    expect(thinking?.type === 'thinking' && thinking.signature).toMatch(/^EqQB/);
    expect(message.usage).toMatchObject({ input_tokens: 21, cache_read_input_tokens: 3200, cache_creation_input_tokens: 1800 });

    const raw = upstream.calls.at(-1)?.body ?? '';
    expect(raw).not.toContain(PHONE);
    expect(raw).not.toContain('林雅雯');
    expect(raw).not.toContain('sy-canary-');
    const sent = lastSent() as { thinking: unknown; system: Array<Record<string, unknown>>; messages: Array<{ content: Array<Record<string, unknown>> }> };
    expect(sent.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(sent.system[1]).toEqual({ type: 'text', text: RULES, cache_control: { type: 'ephemeral' } });
    expect(sent.messages[0]?.content[0]).toMatchObject({ type: 'document', title: 'Invoice', cache_control: { type: 'ephemeral' }, source: { type: 'text', data: expect.stringContaining('[PHONE_1]') } });
  });

  it('streams thinking_delta and signature_delta to the SDK', async () => {
    const stream = client.messages.stream({
      model: 'claude',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 2048 },
      messages: [{ role: 'user', content: 'Add 20 and 22.' }],
    });
    const deltas: string[] = [];
    stream.on('thinking', (delta) => deltas.push(delta));
    const final = await stream.finalMessage();
    expect(deltas.join('')).toBe('Let me add the line items: 20 + 22 = 42.');
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'text']);
    const thinking = final.content[0];
    expect(thinking?.type === 'thinking' && thinking.signature).toMatch(/^EqQB/);
    expect(final.content[1]?.type === 'text' && final.content[1].text).toBe('The total is 42.');
    expect(lastSent()).toMatchObject({ stream: true, thinking: { type: 'enabled', budget_tokens: 2048 } });
  });

  it('a PDF the gateway cannot read never reaches the API tier: refused for messages, counted locally', async () => {
    const pdf = { type: 'document' as const, source: { type: 'base64' as const, media_type: 'application/pdf' as const, data: 'JVBERi0xLjQKJcOkw7zDtsOf' } };
    const messages = [{ role: 'user' as const, content: [pdf, { type: 'text' as const, text: 'Summarise.' }] }];
    await expect(client.messages.create({ model: 'claude', max_tokens: 100, messages })).rejects.toMatchObject({ status: 403 });
    const { data, response } = await client.messages.countTokens({ model: 'claude', messages }).withResponse();
    expect(response.headers.get('x-switchyard-token-count')).toBe('estimated');
    expect(data.input_tokens).toBeGreaterThan(0);
    expect(upstream.calls).toEqual([]);
  });
});
