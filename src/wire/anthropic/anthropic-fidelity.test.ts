import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../model/chat-request.js';
import type { StreamPart } from '../../model/stream-part.js';
import { takeInventory } from '../../model/outbound-inventory.js';
import { parseSse } from '../sse/parse-sse.js';
import { anthropicRequestLayout } from './anthropic-request-layout.js';
import { decodeAnthropicClientRequest, decodeAnthropicCountTokensRequest } from './decode-anthropic-client-request.js';
import { decodeAnthropicResponse } from './decode-anthropic-response.js';
import { decodeAnthropicStream } from './decode-anthropic-stream.js';
import { createAnthropicStreamEncoder, encodeAnthropicResponse } from './encode-anthropic-client-response.js';
import { decodeAnthropicCountTokensResponse, encodeAnthropicCountTokensRequest } from './encode-anthropic-count-tokens.js';
import { encodeAnthropicRequest } from './encode-anthropic-request.js';

/** Anthropic in → Anthropic out keeps what only this wire has, checked on recorded fixtures. */
const fixture = (name: string) => readFileSync(new URL(`../../providers/anthropic/__fixtures__/${name}`, import.meta.url), 'utf8');
const REQUEST = JSON.parse(fixture('thinking.request.json')) as Record<string, unknown>;
const MODEL = 'claude-sonnet-4-5-20250929';

async function* chunks(text: string): AsyncGenerator<Uint8Array> {
  // Small, uneven chunks: events split anywhere must decode the same.
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += 37) yield bytes.slice(at, at + 37);
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('Anthropic fidelity: thinking, documents, cache_control, top_k', () => {
  it('forwards a client body with all of them unchanged (decode → canonical → encode)', () => {
    const canonical = decodeAnthropicClientRequest(REQUEST);
    expect(encodeAnthropicRequest(canonical, MODEL)).toEqual(REQUEST);
  });

  it('reads thinking and signatures as scanned text, PDFs and URLs as unscanned content, text documents as text', () => {
    const body = encodeAnthropicRequest(decodeAnthropicClientRequest(REQUEST), MODEL) as unknown as Record<string, never>;
    const inventory = takeInventory({ body, layout: anthropicRequestLayout(MODEL) });
    for (const text of ['Add the items.', 'EqQBCgIYAhIM1gbcDa9GJwZA', 'EmwKAhgBEgy3va3pzix', 'Line items: 20 and 22.', 'Q3 report', 'https://example.com/annex.pdf', 'Long reference text.']) {
      expect(inventory.texts, text).toContain(text);
    }
    expect(inventory.texts.join('\n')).not.toContain('JVBERi0xLjQKJcOkw7zDtsOf');
    // The inline PDF and the document fetched by URL: content the gateway cannot read.
    expect(inventory.unscanned).toBe(2);
    // Protocol words of the new fields are not mistaken for client text.
    for (const word of ['ephemeral', 'budget_tokens', 'cache_control', 'application/pdf', '1h']) expect(inventory.texts).not.toContain(word);
  });

  it('returns thinking blocks with their signatures, and splits cache reads and writes out of input_tokens', () => {
    const canonical = decodeAnthropicResponse(JSON.parse(fixture('thinking.response.json')));
    expect(canonical.choices[0]?.message.content).toBe("The report's total is 42.");
    expect(canonical.usage).toEqual({ inputTokens: 5021, outputTokens: 96, cachedInputTokens: 3200, cacheWriteInputTokens: 1800 });
    const wire = encodeAnthropicResponse(canonical) as { content: Array<Record<string, string>>; usage: Record<string, number> };
    expect(wire.content.map((block) => block.type)).toEqual(['thinking', 'redacted_thinking', 'text']);
    expect(wire.content[0]).toMatchObject({ thinking: expect.stringContaining('totals first'), signature: expect.stringMatching(/^EqQB/) });
    expect(wire.content[1]?.data).toMatch(/^EmwK/);
    expect(wire.usage).toEqual({ input_tokens: 21, output_tokens: 96, cache_read_input_tokens: 3200, cache_creation_input_tokens: 1800 });
  });

  it('streams thinking_delta and signature_delta through, in their own block before the text', async () => {
    const parts = await collect(decodeAnthropicStream(parseSse(chunks(fixture('thinking-stream.response.sse')))));
    expect(parts.filter((part) => part.type === 'thinking-delta').map((part) => (part as { text: string }).text).join('')).toBe('Let me add the line items: 20 + 22 = 42.');
    expect(parts.find((part) => part.type === 'thinking-signature')).toMatchObject({ signature: expect.stringMatching(/^EqQB/) });
    const encoder = createAnthropicStreamEncoder();
    const sse = parts.map((part) => encoder.encode(part)).join('') + encoder.end();
    const events = sse
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { type: string; index?: number; delta?: { type: string }; content_block?: { type: string } });
    const summary = events.filter((event) => event.type.startsWith('content_block')).map((event) => `${event.type}:${event.index}:${event.content_block?.type ?? event.delta?.type ?? ''}`);
    expect(summary).toEqual([
      'content_block_start:0:thinking',
      'content_block_delta:0:thinking_delta',
      'content_block_delta:0:thinking_delta',
      'content_block_delta:0:signature_delta',
      'content_block_stop:0:',
      'content_block_start:1:text',
      'content_block_delta:1:text_delta',
      'content_block_stop:1:',
    ]);
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ usage: { input_tokens: 21, cache_read_input_tokens: 5000 } });
  });

  it('counts tokens with only the input fields (count_tokens refuses max_tokens and stream)', () => {
    const request = decodeAnthropicCountTokensRequest({ ...REQUEST, max_tokens: undefined });
    expect(request.maxTokens).toBeUndefined();
    const body = encodeAnthropicCountTokensRequest(request, MODEL);
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'system', 'thinking', 'tools']);
    expect(body.messages).toEqual(REQUEST.messages);
    expect(decodeAnthropicCountTokensResponse(JSON.parse(fixture('count-tokens.response.json')))).toEqual({ inputTokens: 2095 });
    expect(() => decodeAnthropicCountTokensResponse({ input_tokens: -1 })).toThrow(/input_tokens/);
  });

  it('refuses a cache_control it does not know rather than dropping it', () => {
    const body = { model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }] };
    expect(() => decodeAnthropicClientRequest(body)).toThrow(/cache_control/);
  });
});

describe('features this wire cannot express are refused, or dropped when the alias allows', () => {
  const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false };

  it.each([
    ['seed', { seed: 7 }],
    ['n', { n: 2 }],
    ['response_format', { responseFormat: { type: 'json_object' } }],
  ] as const)('%s → 400 unsupported_parameter naming it and the remedy', (feature, extra) => {
    expect(() => encodeAnthropicRequest({ ...base, ...extra }, 'm')).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', status: 400, param: feature, message: expect.stringContaining('drop_unsupported') }),
    );
    const dropped = encodeAnthropicRequest({ ...base, ...extra, dropUnsupported: [feature] }, 'm') as unknown as Record<string, unknown>;
    expect(dropped).toEqual({ model: 'm', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] });
  });

  it('accepts what means nothing here: n = 1 and a text response_format', () => {
    expect(() => encodeAnthropicRequest({ ...base, n: 1, responseFormat: { type: 'text' } }, 'm')).not.toThrow();
  });
});
