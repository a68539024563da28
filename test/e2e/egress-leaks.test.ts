import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from '../outbound/recording-upstream.js';
import { luhnCard, taiwanNationalId } from '../outbound/restricted-values.js';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * Every leak the attack found, replayed through a real gateway process with the official SDKs:
 * a restricted value split across text parts, or placed in a forwarded field that used to go
 * unscanned (message name, tool and tool-call ids, tool descriptions, parameter schemas,
 * response_format schemas, stop, embeddings `user`, image URLs, Anthropic tool_use ids, tool
 * descriptions, stop_sequences, metadata.user_id), or in a field that must not be forwarded at
 * all. One recording upstream stands in for each remote tier (api, private-cloud); the count of
 * bodies that carry the value, whole or as both halves of a split, must be 0 — streamed or not,
 * through every adapter and after a failover to a different one.
 */

const KEY = 'sy-e2e-egress-key-0123456789';
const NATIONAL_ID = taiwanNationalId('F', 2, [3, 1, 4, 1, 5, 9, 2]);
const CARD = luhnCard('4', [5, 3, 2, 0, 1, 5, 1, 1, 2, 8, 3, 0, 3, 6]);

let api: RecordingUpstream;
let privateCloud: RecordingUpstream;
let gateway: RunningProcess;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  api = await startRecordingUpstream();
  privateCloud = await startRecordingUpstream();
  const path = writeTempConfig(`
server: { port: 0 }
auth:
  keys:
    - { id: tester, key: "\${env:E2E_EGRESS_KEY}" }
routing: { retry: { max_attempts: 3, base_backoff_ms: 1, max_backoff_ms: 2 } }
deployments:
  - { id: oai-api, tier: api, provider: openai-compatible, base_url: "${api.url}/v1" }
  - { id: claude-api, tier: api, provider: anthropic, base_url: "${api.url}" }
  - { id: gemini-api, tier: api, provider: gemini, base_url: "${api.url}/v1beta" }
  - { id: broken-api, tier: api, provider: openai-compatible, base_url: "${api.url}/fail/v1" }
  - { id: azure-private, tier: private-cloud, provider: azure-openai, base_url: "${privateCloud.url}", api_version: "2024-10-21" }
  - { id: onprem, tier: on-prem, provider: mock, mock: { embedding_dimensions: 4 } }
models:
  - { alias: via-openai, targets: [{ deployment: oai-api, model: gpt-4o-mini, weight: 1 }, { deployment: azure-private, model: gpt-4o, weight: 0 }, { deployment: onprem, model: local, weight: 0 }] }
  - { alias: via-anthropic, targets: [{ deployment: claude-api, model: claude-sonnet, weight: 1 }, { deployment: azure-private, model: gpt-4o, weight: 0 }, { deployment: onprem, model: local, weight: 0 }] }
  - { alias: via-gemini, targets: [{ deployment: gemini-api, model: gemini-2.0-flash, weight: 1 }, { deployment: onprem, model: local, weight: 0 }] }
  - { alias: via-failover, strategy: priority, targets: [{ deployment: broken-api, model: gpt-4o-mini, priority: 1 }, { deployment: claude-api, model: claude-sonnet, priority: 2 }, { deployment: azure-private, model: gpt-4o, priority: 3 }, { deployment: onprem, model: local, priority: 4 }] }
  - { alias: embed, type: embedding, targets: [{ deployment: oai-api, model: text-embedding-3-small, weight: 1 }, { deployment: azure-private, model: text-embedding-3-small, weight: 0 }, { deployment: onprem, model: local-embed, weight: 0 }] }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_EGRESS_KEY: KEY });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await api?.close();
  await privateCloud?.close();
});

const CHAT_ALIASES = ['via-openai', 'via-anthropic', 'via-gemini', 'via-failover'];
type ChatBody = OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
type MessagesBody = Anthropic.MessageCreateParamsNonStreaming;

const user = (content: ChatBody['messages'][number]['content']): ChatBody['messages'] => [{ role: 'user', content } as ChatBody['messages'][number]];

/** One attack per leak the issue lists, for a value `v` (split cases use its halves). */
function chatCases(v: string): Array<[string, Omit<ChatBody, 'model'>]> {
  const [head, tail] = [v.slice(0, 5), v.slice(5)];
  return [
    ['text parts split', { messages: user([{ type: 'text', text: `number ${head}` }, { type: 'text', text: `${tail} please` }]) }],
    ['message name', { messages: [{ role: 'user', content: 'hi', name: `n ${v}` }] }],
    ['tool-call id', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: `call ${v}`, type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: `call ${v}`, content: 'ok' }] }],
    ['tool description', { messages: user('hi'), tools: [{ type: 'function', function: { name: 'f', description: `holder ${v}`, parameters: { type: 'object', properties: {} } } }] }],
    ['parameter schema enum', { messages: user('hi'), tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { id: { type: 'string', enum: [` ${v} `] } } } } }] }],
    ['parameter schema key', { messages: user('hi'), tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { [` ${v} `]: { type: 'string' } } } } }] }],
    ['response_format schema', { messages: user('hi'), response_format: { type: 'json_schema', json_schema: { name: 'out', description: `for ${v}`, schema: { type: 'object', properties: { a: { type: 'string', description: `eg ${v}` } } } } } }],
    ['stop', { messages: user('hi'), stop: [`stop ${v}`] }],
    ['image URL', { messages: user([{ type: 'text', text: 'look' }, { type: 'image_url', image_url: { url: `https://img.example.com/scan?id=${v}` } }]) }],
    ['tool arguments', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: JSON.stringify({ id: v }) } }] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }] }],
    ['unknown fields', { messages: user('hi'), ...({ metadata: { note: v }, x_custom: v } as object) }],
  ];
}

function messagesCases(v: string): Array<[string, Omit<MessagesBody, 'model' | 'max_tokens'>]> {
  const [head, tail] = [v.slice(0, 5), v.slice(5)];
  return [
    ['text blocks split', { messages: [{ role: 'user', content: [{ type: 'text', text: `number ${head}` }, { type: 'text', text: `${tail} please` }] }] }],
    ['tool_use id', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: [{ type: 'tool_use', id: `toolu ${v}`, name: 'f', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: `toolu ${v}`, content: 'ok' }] }] }],
    ['tool description', { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'f', description: `holder ${v}`, input_schema: { type: 'object', properties: {} } }] }],
    ['tool input schema', { messages: [{ role: 'user', content: 'hi' }], tools: [{ name: 'f', input_schema: { type: 'object', properties: { id: { type: 'string', description: `eg ${v}` } } } }] }],
    ['stop_sequences', { messages: [{ role: 'user', content: 'hi' }], stop_sequences: [`stop ${v}`] }],
    ['metadata.user_id', { messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: `u ${v}` } }],
    ['system blocks split', { system: [{ type: 'text', text: `ref ${head}` }, { type: 'text', text: tail }], messages: [{ role: 'user', content: 'hi' }] }],
    ['image URL', { messages: [{ role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { type: 'url', url: `https://img.example.com/scan?id=${v}` } }] }] }],
  ];
}

/** Bodies at a remote tier that carry the value whole, or both halves of a split one. */
function leaks(value: string): string[] {
  const [head, tail] = [value.slice(0, 5), value.slice(5)];
  return [...api.requests.map((request) => ['api', request] as const), ...privateCloud.requests.map((request) => ['private-cloud', request] as const)]
    .filter(([, request]) => request.body.includes(value) || (request.body.includes(head) && request.body.includes(tail)))
    .map(([tier, request]) => `${tier} ${request.path}`);
}

function clear(): void {
  api.clear();
  privateCloud.clear();
}

describe('0 leaks of restricted values to remote tiers, through the official SDKs', () => {
  for (const value of [NATIONAL_ID, CARD]) {
    const label = value === NATIONAL_ID ? 'national ID' : 'card number';

    it(`chat completions (${label}): every case, every adapter, plain and streamed`, async () => {
      const found: string[] = [];
      let answered = 0;
      for (const [name, body] of chatCases(value)) {
        for (const model of CHAT_ALIASES) {
          for (const stream of [false, true]) {
            clear();
            const ok = stream
              ? await (async () => {
                  const chunks = await openai.chat.completions.create({ ...body, model, stream: true });
                  for await (const chunk of chunks) void chunk;
                  return true;
                })().catch(() => false)
              : await openai.chat.completions.create({ ...body, model }).then(() => true, () => false);
            if (ok) answered += 1;
            for (const leak of leaks(value)) found.push(`${name} via ${model}${stream ? ' (stream)' : ''}: ${leak}`);
          }
        }
      }
      expect(found).toEqual([]);
      // Kept in-house and still answered: the restricted requests are served on-prem, not refused.
      expect(answered).toBeGreaterThanOrEqual(chatCases(value).length * CHAT_ALIASES.length * 2 - 4);
    }, 240_000);

    it(`anthropic messages (${label}): every case, every adapter, plain and streamed`, async () => {
      const found: string[] = [];
      for (const [name, body] of messagesCases(value)) {
        for (const model of CHAT_ALIASES) {
          for (const stream of [false, true]) {
            clear();
            if (stream) {
              await (async () => {
                const events = await anthropic.messages.create({ ...body, model, max_tokens: 64, stream: true });
                for await (const event of events) void event;
              })().catch(() => undefined);
            } else {
              await anthropic.messages.create({ ...body, model, max_tokens: 64 }).catch(() => undefined);
            }
            for (const leak of leaks(value)) found.push(`${name} via ${model}${stream ? ' (stream)' : ''}: ${leak}`);
          }
        }
      }
      expect(found).toEqual([]);
    }, 240_000);

    it(`embeddings (${label}): input and user`, async () => {
      const found: string[] = [];
      for (const body of [{ input: [`id ${value}`] }, { input: ['hello'], user: `u ${value}` }, { input: ['hello'], ...({ x_custom: value } as object) }]) {
        clear();
        const response = await openai.embeddings.create({ model: 'embed', ...(body as { input: string[] }) }).catch((error: unknown) => error);
        expect(response).not.toBeInstanceOf(Error);
        for (const leak of leaks(value)) found.push(`${JSON.stringify(Object.keys(body))}: ${leak}`);
      }
      expect(found).toEqual([]);
    }, 120_000);
  }

  it('the split value is classified restricted and answered on-prem (the audit and headers see the outbound scan)', async () => {
    clear();
    const { response } = await openai.chat.completions
      .create({ model: 'via-openai', messages: user([{ type: 'text', text: `ID ${NATIONAL_ID.slice(0, 4)}` }, { type: 'text', text: NATIONAL_ID.slice(4) }]) })
      .withResponse();
    expect(response.headers.get('x-switchyard-data-class')).toBe('restricted');
    expect(response.headers.get('x-switchyard-tier')).toBe('on-prem');
    expect(api.requests).toHaveLength(0);
  });

  it('public text still reaches the api tier (the recorder records)', async () => {
    clear();
    await openai.chat.completions.create({ model: 'via-openai', messages: user('Summarise the benefits of unit tests.') });
    await anthropic.messages.create({ model: 'via-anthropic', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] });
    expect(api.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/messages']);
  });
});
