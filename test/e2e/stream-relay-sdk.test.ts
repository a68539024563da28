import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * The official `openai` SDK reads a relayed stream (issue 16: streams that relay instead of
 * re-encode): the built gateway in front of an upstream that writes OpenAI's own chunk shapes
 * (role chunk, `usage: null`, `system_fingerprint`, tool calls, the usage-only tail) in small
 * pieces. `system_fingerprint` reaching the client proves the chunks were relayed, not re-encoded.
 */

const KEY = 'sy-e2e-relay-key-0123456789';
const HEAD = '"id":"chatcmpl-e2e","object":"chat.completion.chunk","created":1764662400,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_e2e"';
const chunk = (choices: string, usage = 'null') => `data: {${HEAD},"choices":[${choices}],"usage":${usage}}\n\n`;
const choice = (delta: string, finish = 'null') => `{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}`;
const USAGE = `data: {${HEAD},"choices":[],"usage":{"prompt_tokens":9,"completion_tokens":6,"total_tokens":15}}\n\n`;

const TEXT_STREAM = [
  chunk(choice('{"role":"assistant","content":"","refusal":null}')),
  ...['臺北', '今天', '會下雨', '，記得帶傘。'].map((text) => chunk(choice(JSON.stringify({ content: text })))),
  chunk(choice('{}', '"stop"')),
  USAGE,
  'data: [DONE]\n\n',
].join('');
const TOOL_STREAM = [
  chunk(choice('{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}],"refusal":null}')),
  chunk(choice('{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":"}}]}')),
  chunk(choice('{"tool_calls":[{"index":0,"function":{"arguments":"\\"臺北\\"}"}}]}')),
  chunk(choice('{}', '"tool_calls"')),
  USAGE,
  'data: [DONE]\n\n',
].join('');
const CUT_STREAM = TEXT_STREAM.slice(0, TEXT_STREAM.indexOf('會下雨') + 20);

let upstream: Server;
let gateway: RunningProcess;
let openai: OpenAI;

beforeAll(async () => {
  upstream = createServer((request, response) => {
    let text = '';
    request.on('data', (piece: Buffer) => (text += piece.toString()));
    request.on('end', () => {
      const asked = JSON.parse(text) as { messages: Array<{ content: string }>; tools?: unknown };
      const prompt = JSON.stringify(asked.messages);
      const bytes = Buffer.from(asked.tools ? TOOL_STREAM : prompt.includes('cut') ? CUT_STREAM : TEXT_STREAM);
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      let offset = 0;
      // 7-byte pieces: the 3-byte characters and the events split across TCP reads.
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer);
        response.write(bytes.subarray(offset, offset + 7));
        offset += 7;
        if (offset >= bytes.length) {
          clearInterval(timer);
          response.end();
        }
      }, 1);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: demo, key: "\${env:E2E_RELAY_KEY}" }
deployments:
  - { id: up, tier: on-prem, provider: openai-compatible, base_url: "${upstreamUrl}" }
models:
  - { alias: chat, targets: [{ deployment: up, model: gpt-4o-mini }] }
audit: { enabled: false }
guard: { enabled: false }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_RELAY_KEY: KEY });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
}, 90_000);

afterAll(async () => {
  await gateway?.stop();
  upstream?.closeAllConnections();
  await new Promise<void>((resolve) => upstream?.close(() => resolve()));
});

describe('a relayed stream, read by the openai SDK', () => {
  it('iterates the chunks: the upstream text, its fingerprint, no usage unless asked', async () => {
    const stream = await openai.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'weather?' }] });
    let text = '';
    const fingerprints = new Set<string | undefined>();
    let usage: unknown;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      fingerprints.add(part.system_fingerprint);
      usage ??= part.usage ?? undefined;
    }
    expect(text).toBe('臺北今天會下雨，記得帶傘。');
    expect(fingerprints.has('fp_e2e')).toBe(true);
    expect(usage).toBeUndefined();
  });

  it('ends with the usage chunk when the client asked for it', async () => {
    const stream = await openai.chat.completions.create({ model: 'chat', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'weather?' }] });
    const usages: unknown[] = [];
    for await (const part of stream) if (part.usage) usages.push(part.usage);
    expect(usages).toEqual([{ prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 }]);
  });

  it('accumulates a final completion with the stream helper (roles, tool calls)', async () => {
    const text = await openai.chat.completions.stream({ model: 'chat', messages: [{ role: 'user', content: 'weather?' }] }).finalChatCompletion();
    expect(text.choices[0]?.message).toMatchObject({ role: 'assistant', content: '臺北今天會下雨，記得帶傘。' });
    const tools = await openai.chat.completions
      .stream({ model: 'chat', messages: [{ role: 'user', content: 'weather?' }], tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }] })
      .finalChatCompletion();
    expect(tools.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"臺北"}' } }] } });
  });

  it('surfaces a cut upstream stream as an error, never as a clean end', async () => {
    const stream = await openai.chat.completions.create({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'please cut' }] });
    let text = '';
    const read = (async () => {
      for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    })();
    await expect(read).rejects.toThrow(/interrupted/);
    expect(text).toBe('臺北今天');
  });
});
