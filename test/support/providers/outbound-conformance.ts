/**
 * The outbound half of the provider conformance suite (test-only; imports vitest): what an
 * adapter says it will send (`describeOutbound`) is what it sends, a policy-checked body is sent
 * byte for byte, and every piece of client text in the body is visible to the data policy.
 * `runProviderConformance` runs it for HTTP adapters; adapters without HTTP call it directly
 * with `sent` reading what they received.
 */
import { expect, it } from 'vitest';
import { REQUEST_FEATURES, type ChatRequest } from '../../../src/model/chat-request.js';
import type { EmbeddingRequest } from '../../../src/model/embedding.js';
import { takeInventory } from '../../../src/model/outbound-inventory.js';
import type { OutboundCall, ProviderAdapter } from '../../../src/providers/provider-adapter.js';

/** Appears in every client-controlled string of the probe requests below. */
export const CLIENT_MARK = 'qzxmark';

const M = CLIENT_MARK;

/**
 * Every field a client controls, each carrying the mark: text parts, names, ids, tools, schemas,
 * stop, user, image URL, documents (text, title, context, URL), thinking text and signatures.
 * Every optional feature may be dropped, so each adapter sends all that its wire can express.
 */
export const MARKED_CHAT: ChatRequest = {
  model: 'test-model',
  stream: false,
  maxTokens: 32,
  dropUnsupported: REQUEST_FEATURES,
  seed: 7,
  n: 2,
  topK: 5,
  thinking: { type: 'enabled', budgetTokens: 2048 },
  messages: [
    { role: 'system', content: [{ type: 'text', text: `sys ${M}` }, { type: 'text', text: `${M} more` }], name: `sys_${M}` },
    {
      role: 'user',
      name: `user_${M}`,
      content: [
        { type: 'text', text: `hello ${M}` },
        { type: 'image', url: `https://images.example.com/${M}.png` },
        { type: 'text', text: `${M}`, cacheControl: { type: 'ephemeral' } },
        { type: 'document', source: { kind: 'text', mediaType: 'text/plain', data: `doc ${M}` }, title: `title ${M}`, context: `context ${M}`, citations: true },
        { type: 'document', source: { kind: 'url', url: `https://docs.example.com/${M}.pdf` }, cacheControl: { type: 'ephemeral', ttl: '1h' } },
        { type: 'document', source: { kind: 'base64', mediaType: 'application/pdf', data: 'JVBERi0xLjQK' } },
      ],
    },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', text: `thought ${M}`, signature: `sig${M}` },
        { type: 'redacted-thinking', data: `redacted${M}` },
        { type: 'text', text: `calling ${M}` },
      ],
      toolCalls: [{ id: `call_${M}`, name: `tool_${M}`, arguments: JSON.stringify({ [`key_${M}`]: `value ${M}`, list: [M] }) }] },
    { role: 'tool', toolCallId: `call_${M}`, content: [{ type: 'text', text: JSON.stringify({ result: `done ${M}` }) }], cacheControl: { type: 'ephemeral' } },
    { role: 'user', content: [{ type: 'text', text: `thanks ${M}` }] },
  ],
  tools: [
    {
      name: `tool_${M}`,
      description: `describes ${M}`,
      parameters: { type: 'object', title: `title ${M}`, properties: { [`prop_${M}`]: { type: 'string', description: `about ${M}`, enum: [`choice ${M}`] } } },
      cacheControl: { type: 'ephemeral' },
    },
  ],
  toolChoice: { name: `tool_${M}` },
  responseFormat: { type: 'json_schema', name: `format_${M}`, description: `format ${M}`, schema: { type: 'object', properties: { [`out_${M}`]: { type: 'string' } } } },
  stop: [`stop ${M}`],
  user: `user ${M}`,
};

export const MARKED_EMBEDDINGS: EmbeddingRequest = { model: 'test-embed', input: [`first ${M}`, `second ${M}`], user: `user ${M}` };

function occurrences(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

export interface OutboundConformanceOptions {
  createAdapter(): ProviderAdapter;
  /** The body bytes the adapter's last call sent upstream. */
  sent(): string | undefined;
  embeddings: boolean;
}

export function runOutboundConformance(options: OutboundConformanceOptions): void {
  const signal = new AbortController().signal;
  const calls: OutboundCall[] = [
    { operation: 'chat', request: MARKED_CHAT },
    { operation: 'chat-stream', request: { ...MARKED_CHAT, stream: true } },
    ...(options.embeddings ? [{ operation: 'embeddings' as const, request: MARKED_EMBEDDINGS }] : []),
  ];

  for (const call of calls) {
    it(`outbound (${call.operation}): every client string in the described body is in the policy's inventory`, () => {
      const outbound = options.createAdapter().describeOutbound(call);
      expect(outbound.operation).toBe(call.operation);
      const inventory = takeInventory(outbound);
      const inBody = occurrences(JSON.stringify(outbound.body), M);
      expect(inBody).toBeGreaterThan(0);
      // Each mark the upstream receives is inside some text the policy scans (JSON text decoded).
      expect(inventory.texts.reduce((sum, text) => sum + occurrences(text, M), 0)).toBe(inBody);
    });

    it(`outbound (${call.operation}): sends the described body when given none, and a policy-checked body byte for byte`, async () => {
      const adapter = options.createAdapter();
      const described = JSON.stringify(adapter.describeOutbound(call).body);
      const invoke = (body?: string) => {
        const context = { signal, ...(body === undefined ? {} : { body }) };
        if (call.operation === 'embeddings') return adapter.embed(call.request, context);
        if (call.operation === 'chat') return adapter.chat(call.request, context);
        return adapter.chatStream(call.request, context).then(async (stream) => {
          for await (const _part of stream) void _part;
        });
      };
      await invoke().catch(() => undefined);
      expect(JSON.parse(options.sent() ?? 'null')).toEqual(JSON.parse(described));
      const sealed = described.replaceAll(M, '[MASKED_1]');
      await invoke(sealed).catch(() => undefined);
      expect(options.sent()).toBe(sealed);
    });
  }
}
