/**
 * The relay against the re-encoding path it replaces: for generated upstream streams, cut into
 * arbitrary byte pieces, the client must read the same thing either way, and the gateway must
 * learn the same things (text, finish, usage, a cut or an error event).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../errors/gateway-error.js';
import type { RelayPart } from '../../model/relay-part.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';
import { parseSse, SseLineParser } from '../sse/parse-sse.js';
import { decodeOpenAIStream } from './decode-openai-stream.js';
import { createOpenAIStreamEncoder } from './encode-openai-client-response.js';
import { plainEvents, relayOpenAIStream } from './relay-openai-stream.js';

// ---------------------------------------------------------------- what the client reads

interface ClientChoice {
  role?: string;
  content: string;
  tools: Record<number, { id?: string; type?: string; name?: string; arguments: string }>;
  finish?: string;
}

/** An SSE body as an SDK accumulates it (openai-node's ChatCompletionStream, field by field). */
function clientView(sse: string): { choices: Record<number, ClientChoice>; heads: string[]; usage: unknown[]; done: boolean; error?: unknown; afterEnd: number } {
  const parser = new SseLineParser();
  const events = [...parser.push(sse), ...parser.end()];
  const choices: Record<number, ClientChoice> = {};
  const heads = new Set<string>();
  const usage: unknown[] = [];
  let done = false;
  let error: unknown;
  let afterEnd = 0;
  for (const event of events) {
    if (done || error !== undefined) afterEnd++;
    if (event.data === '[DONE]') {
      done = true;
      continue;
    }
    const chunk = JSON.parse(event.data) as Record<string, unknown>;
    if (chunk.error) {
      error = chunk.error;
      continue;
    }
    heads.add(JSON.stringify([chunk.id, chunk.object, chunk.model, chunk.created]));
    if (chunk.usage) usage.push(chunk.usage);
    for (const raw of chunk.choices as Array<Record<string, unknown>>) {
      const choice = (choices[raw.index as number] ??= { content: '', tools: {} });
      const delta = raw.delta as Record<string, unknown>;
      if (typeof delta.role === 'string') choice.role = delta.role;
      if (typeof delta.content === 'string') choice.content += delta.content;
      for (const call of (delta.tool_calls as Array<Record<string, unknown>> | undefined) ?? []) {
        const tool = (choice.tools[call.index as number] ??= { arguments: '' });
        if (typeof call.id === 'string') tool.id = call.id;
        if (typeof call.type === 'string') tool.type = call.type;
        const fn = (call.function ?? {}) as Record<string, unknown>;
        if (typeof fn.name === 'string') tool.name = fn.name;
        if (typeof fn.arguments === 'string') tool.arguments += fn.arguments;
      }
      if (typeof raw.finish_reason === 'string') choice.finish = raw.finish_reason;
    }
  }
  return { choices, heads: [...heads], usage, done, ...(error !== undefined ? { error } : {}), afterEnd };
}

/** What the gateway learns from a stream (the taps of either path). */
interface Learned {
  text: string;
  finish?: string;
  usage?: Usage;
  model?: string;
  outputSeen: boolean;
  failure?: string;
}

/** A relayed batch as the client reads it (the byte path hands over the upstream's UTF-8 bytes). */
const sseText = (sse: string | Uint8Array): string => (typeof sse === 'string' ? sse : new TextDecoder('utf-8', { fatal: true }).decode(sse));

async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

const failureEvent = (error: unknown) => new GatewayError('upstream_stream_interrupted', error instanceof Error ? error.message : String(error));

/** Today's path: parse → decode → encode, with the taps of observeStream/captureRestored. */
async function reencode(bytes: Uint8Array, cuts: number[], includeUsage: boolean): Promise<{ sse: string; learned: Learned }> {
  const encoder = createOpenAIStreamEncoder({ includeUsage });
  const learned: Learned = { text: '', outputSeen: false };
  let sse = '';
  try {
    for await (const part of decodeOpenAIStream(parseSse(pieces(bytes, cuts)))) {
      learn(learned, part);
      sse += encoder.encode(part);
    }
    sse += encoder.end();
  } catch (error) {
    learned.failure = (error as Error).message;
    sse += encoder.error(failureEvent(error));
  }
  return { sse, learned };
}

/** The relay: relayed events as they are, the other parts through the same encoder. */
async function relay(bytes: Uint8Array, cuts: number[], includeUsage: boolean): Promise<{ sse: string; learned: Learned; relayed: number; asBytes: number }> {
  const encoder = createOpenAIStreamEncoder({ includeUsage });
  expect(encoder.canPassThrough('openai-chat')).toBe(true);
  const learned: Learned = { text: '', outputSeen: false };
  let sse = '';
  let relayed = 0;
  let asBytes = 0;
  try {
    for await (const part of relayOpenAIStream(pieces(bytes, cuts)) as AsyncIterable<RelayPart>) {
      if (part.type === 'relay') {
        relayed++;
        if (typeof part.sse !== 'string') asBytes++;
        learned.text += part.text;
        if (part.output) learned.outputSeen = true;
        if (part.finish !== undefined) learned.finish = part.finish;
        sse += sseText(part.sse);
        continue;
      }
      learn(learned, part);
      sse += encoder.encode(part);
    }
    sse += encoder.end();
  } catch (error) {
    learned.failure = (error as Error).message;
    sse += encoder.error(failureEvent(error));
  }
  return { sse, learned, relayed, asBytes };
}

function learn(learned: Learned, part: StreamPart): void {
  if (part.type === 'start') learned.model = part.model;
  else if (part.type === 'usage') learned.usage = part.usage;
  else if (part.type === 'text-delta') {
    learned.outputSeen = true;
    if (part.choice === 0) learned.text += part.text;
  } else if (part.type === 'tool-call-delta') learned.outputSeen = true;
  else if (part.type === 'finish' && part.choice === 0) learned.finish = part.finishReason;
}

// ---------------------------------------------------------------- generated upstream streams

const HEAD = { id: 'chatcmpl-relay-1', object: 'chat.completion.chunk', created: 1764662400, model: 'gpt-4o-mini-2024-07-18' };
/** zh-TW with 3-byte characters, a 4-byte one (𠀀) and an emoji, so byte cuts land inside characters. */
const TEXTS = ['你好', '，臺灣', '的天氣', '很好。', '𠀀', '🌧️', 'Hello', ' world', '「引號」', '\\n', '"quoted"', ''];

type Shape = {
  choices: number;
  role: 'first-chunk' | 'with-text' | 'never';
  azurePrelude: boolean;
  fingerprint: boolean;
  usageNull: boolean;
  usageEvery: boolean;
  finalUsage: boolean;
  tool: boolean;
  stopAfterTool: boolean;
  logprobs: boolean;
  texts: string[];
  ending: 'done' | 'finish-no-done' | 'cut' | 'error-event' | 'bad-json';
  crlf: boolean;
  keepAlive: boolean;
  multiLine: boolean;
  otherHead: boolean;
  obfuscation: boolean;
  /** Python's json.dumps: non-ASCII as \u escapes (the template fast path never matches). */
  asciiOnly: boolean;
  includeUsage: boolean;
};

const shape: fc.Arbitrary<Shape> = fc.record({
  choices: fc.constantFrom(1, 1, 1, 2),
  role: fc.constantFrom<Shape['role']>('first-chunk', 'first-chunk', 'with-text', 'never'),
  azurePrelude: fc.boolean(),
  fingerprint: fc.boolean(),
  usageNull: fc.boolean(),
  usageEvery: fc.constantFrom(false, false, false, true),
  finalUsage: fc.constantFrom(true, true, false),
  tool: fc.constantFrom(false, false, true),
  stopAfterTool: fc.boolean(),
  logprobs: fc.constantFrom(false, false, false, true),
  texts: fc.array(fc.constantFrom(...TEXTS), { minLength: 0, maxLength: 12 }),
  ending: fc.constantFrom<Shape['ending']>('done', 'done', 'done', 'finish-no-done', 'cut', 'error-event', 'bad-json'),
  crlf: fc.boolean(),
  keepAlive: fc.boolean(),
  multiLine: fc.constantFrom(false, false, false, true),
  otherHead: fc.constantFrom(false, false, false, true),
  obfuscation: fc.constantFrom(false, false, true),
  asciiOnly: fc.constantFrom(false, false, true),
  includeUsage: fc.boolean(),
});

/** The upstream's SSE body for a shape. */
function upstreamBody(s: Shape): string {
  const eol = s.crlf ? '\r\n' : '\n';
  const events: string[] = [];
  const usageOf = (completion: number) => ({ prompt_tokens: 11, completion_tokens: completion, total_tokens: 11 + completion });
  const chunk = (choices: object[], extra: Record<string, unknown> = {}) => ({
    ...HEAD,
    ...(s.fingerprint ? { system_fingerprint: 'fp_relay' } : {}),
    choices,
    ...(s.usageNull ? { usage: null } : {}),
    ...(s.usageEvery ? { usage: usageOf(events.length) } : {}),
    ...(s.obfuscation ? { obfuscation: 'x'.repeat(events.length % 4) } : {}),
    ...extra,
  });
  const data = (value: object) => {
    const json = s.asciiOnly ? JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : JSON.stringify(value);
    // A multi-line data field: the same JSON, its lines joined back with "\n" by the parser.
    return s.multiLine && events.length === 2 ? json.replace(',"choices":', `,${eol}data: "choices":`) : json;
  };
  const push = (value: object | string) => {
    if (s.keepAlive && events.length % 3 === 1) events.push(`: keep-alive${eol}${eol}`);
    events.push(`data: ${typeof value === 'string' ? value : data(value)}${eol}${eol}`);
  };
  const each = (make: (index: number) => object) => Array.from({ length: s.choices }, (_, index) => make(index));
  if (s.azurePrelude) push({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [{ prompt_index: 0, content_filter_results: {} }] });
  if (s.role === 'first-chunk') push(chunk(each((index) => ({ index, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }))));
  s.texts.forEach((text, position) => {
    const withRole = s.role === 'with-text' && position === 0;
    const choices = each((index) => ({
      index,
      delta: { ...(withRole ? { role: 'assistant' } : {}), content: text },
      ...(s.logprobs && position === 1 ? { logprobs: { content: [] } } : { logprobs: null }),
      finish_reason: null,
      ...(s.fingerprint ? { content_filter_results: {} } : {}),
    }));
    push(s.otherHead && position === 2 ? { ...chunk(choices), id: 'chatcmpl-other' } : chunk(choices));
  });
  if (s.tool) {
    push(chunk(each((index) => ({ index, delta: { tool_calls: [{ index: 0, id: `call_${index}`, type: 'function', function: { name: 'get_weather', arguments: '' } }] }, logprobs: null, finish_reason: null }))));
    push(chunk(each((index) => ({ index, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":"臺北' } }] }, logprobs: null, finish_reason: null }))));
    push(chunk(each((index) => ({ index, delta: { tool_calls: [{ index: 0, function: { arguments: '"}' } }] }, logprobs: null, finish_reason: null }))));
  }
  if (s.ending === 'error-event') {
    push({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } });
    return events.join('');
  }
  if (s.ending === 'bad-json') {
    push('{"id":"chatcmpl-relay-1","choices":[{');
    return events.join('');
  }
  if (s.ending === 'cut') return events.join('') + 'data: {"id":"chatcmpl-relay-1","object":"chat.comp';
  push(chunk(each((index) => ({ index, delta: {}, logprobs: null, finish_reason: s.tool ? (s.stopAfterTool ? 'stop' : 'tool_calls') : index === 1 ? 'length' : 'stop' }))));
  if (s.finalUsage) push({ ...HEAD, choices: [], usage: usageOf(42) });
  if (s.ending === 'done') push('[DONE]');
  return events.join('');
}

/** Whether a shape is one the relay should pass through (nearly) unchanged. */
const plain = (s: Shape) => s.role !== 'never' && !s.usageEvery && !s.logprobs && !s.multiLine && !s.otherHead && s.texts.filter(Boolean).length > 2 && !['error-event', 'bad-json'].includes(s.ending);

// ---------------------------------------------------------------- properties

describe('relayOpenAIStream', () => {
  it('gives the client what the re-encoding path gives it, and the gateway what it learns there', async () => {
    await fc.assert(
      fc.asyncProperty(shape, fc.array(fc.nat(4000), { maxLength: 40 }), async (s, cuts) => {
        const bytes = new TextEncoder().encode(upstreamBody(s));
        const before = await reencode(bytes, cuts, s.includeUsage);
        const after = await relay(bytes, cuts, s.includeUsage);
        expect(clientView(after.sse)).toEqual(clientView(before.sse));
        expect(after.learned).toEqual(before.learned);
        if (plain(s)) expect(after.relayed).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('passes a plain stream through byte for byte, but for the usage chunk the client did not ask for', async () => {
    const s: Shape = { choices: 1, role: 'with-text', azurePrelude: false, fingerprint: true, usageNull: true, usageEvery: false, finalUsage: true, tool: false, stopAfterTool: false, logprobs: false, texts: ['你好', '，臺灣'], ending: 'done', crlf: false, keepAlive: false, multiLine: false, otherHead: false, obfuscation: false, asciiOnly: false, includeUsage: false };
    const body = upstreamBody(s);
    const { sse, relayed } = await relay(new TextEncoder().encode(body), [7, 50, 51, 52, 200], false);
    expect(relayed).toBeGreaterThan(0);
    // Everything up to the usage-only chunk the client did not ask for, then the clean end.
    const upToUsage = body.slice(0, body.indexOf('data: {"id":"chatcmpl-relay-1","object":"chat.completion.chunk","created":1764662400,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage"'));
    expect(sse).toBe(`${upToUsage}data: [DONE]\n\n`);
  });

  it('relays text that repeats the model name or a field as text, never as structure', async () => {
    const head = '"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt"';
    const data = (content: string, extra = '') => `data: {${head},"choices":[{"index":0,"delta":{${extra}"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}]}\n\n`;
    const body = data('', '"role":"assistant",') + data('gpt') + data('x') + data('y') + data('"},"model":"other') + data('\u0001') + `data: {${head},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}\n\n` + 'data: [DONE]\n\n';
    const bytes = new TextEncoder().encode(body);
    const before = await reencode(bytes, [], false);
    const after = await relay(bytes, [], false);
    expect(clientView(after.sse)).toEqual(clientView(before.sse));
    expect(after.learned).toEqual(before.learned);
    expect(after.learned.text).toBe('gptxy"},"model":"other\u0001');
  });

  it('strips the usage chunk the gateway asked for on its own, and writes the client its own when it asked', async () => {
    const s: Shape = { choices: 1, role: 'first-chunk', azurePrelude: false, fingerprint: false, usageNull: false, usageEvery: false, finalUsage: true, tool: false, stopAfterTool: false, logprobs: false, texts: ['a', 'b'], ending: 'done', crlf: true, keepAlive: true, multiLine: false, otherHead: false, obfuscation: false, asciiOnly: false, includeUsage: false };
    const bytes = new TextEncoder().encode(upstreamBody(s));
    expect(clientView((await relay(bytes, [], false)).sse).usage).toEqual([]);
    expect(clientView((await relay(bytes, [], true)).sse).usage).toEqual([{ prompt_tokens: 11, completion_tokens: 42, total_tokens: 53 }]);
    expect((await relay(bytes, [], false)).learned.usage).toEqual({ inputTokens: 11, outputTokens: 42 });
  });

  it('reports a cut stream and an upstream error event as failures, never as a clean end', async () => {
    const base: Shape = { choices: 1, role: 'first-chunk', azurePrelude: false, fingerprint: false, usageNull: false, usageEvery: false, finalUsage: false, tool: false, stopAfterTool: false, logprobs: false, texts: ['你好', '世界'], ending: 'cut', crlf: false, keepAlive: false, multiLine: false, otherHead: false, obfuscation: false, asciiOnly: false, includeUsage: false };
    const cut = await relay(new TextEncoder().encode(upstreamBody(base)), [], false);
    expect(cut.learned.failure).toBe('The upstream stream ended before the response was complete.');
    expect(clientView(cut.sse)).toMatchObject({ done: false, error: { code: 'upstream_stream_interrupted' }, afterEnd: 0 });
    expect(clientView(cut.sse).choices[0]?.content).toBe('你好世界');
    const errored = await relay(new TextEncoder().encode(upstreamBody({ ...base, ending: 'error-event' })), [], false);
    expect(errored.learned.failure).toMatch(/reported an error mid-stream/);
    expect(clientView(errored.sse)).toMatchObject({ done: false, error: { code: 'upstream_stream_interrupted' } });
  });

  it('reads whole plain events as bytes, and the client still reads what the re-encoding path gives it', async () => {
    // Reads cut at event boundaries (as an upstream that flushes each event), some also inside one.
    await fc.assert(
      fc.asyncProperty(shape, fc.array(fc.nat(60), { maxLength: 20 }), fc.array(fc.nat(4000), { maxLength: 3 }), async (s, boundaryPicks, strayCuts) => {
        const body = upstreamBody(s);
        const bytes = new TextEncoder().encode(body);
        const boundaries: number[] = [];
        for (let at = body.indexOf('\n\n'); at !== -1; at = body.indexOf('\n\n', at + 2)) boundaries.push(new TextEncoder().encode(body.slice(0, at + 2)).length);
        const cuts = [...boundaryPicks.map((pick) => boundaries[pick % Math.max(1, boundaries.length)] ?? 0), ...strayCuts];
        const before = await reencode(bytes, cuts, s.includeUsage);
        const after = await relay(bytes, cuts, s.includeUsage);
        expect(clientView(after.sse)).toEqual(clientView(before.sse));
        expect(after.learned).toEqual(before.learned);
        if (plain(s) && !s.crlf && !s.keepAlive && s.ending !== 'cut' && strayCuts.length === 0) expect(after.asBytes).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('writes a plain stream read event by event as the upstream\'s own bytes', async () => {
    const s: Shape = { choices: 1, role: 'first-chunk', azurePrelude: false, fingerprint: true, usageNull: false, usageEvery: false, finalUsage: true, tool: false, stopAfterTool: false, logprobs: false, texts: ['你好', '，臺灣', '的天氣', '𠀀', '🌧️', 'Hello'], ending: 'done', crlf: false, keepAlive: false, multiLine: false, otherHead: false, obfuscation: false, asciiOnly: false, includeUsage: true };
    const body = upstreamBody(s);
    const bytes = new TextEncoder().encode(body);
    const whole = await relay(bytes, [], true);
    const cuts: number[] = [];
    for (let at = body.indexOf('\n\n'); at !== -1; at = body.indexOf('\n\n', at + 2)) cuts.push(new TextEncoder().encode(body.slice(0, at + 2)).length);
    const eventByEvent = await relay(bytes, cuts, true);
    expect(whole.asBytes).toBeGreaterThan(0);
    expect(eventByEvent.asBytes).toBe(eventByEvent.relayed);
    expect(eventByEvent.sse).toBe(whole.sse);
    expect(eventByEvent.learned).toEqual(whole.learned);
    // The usage chunk the client asked for is its encoder's, the rest the upstream's own events.
    expect(clientView(whole.sse)).toEqual(clientView((await reencode(bytes, [], true)).sse));
    expect(whole.sse).toContain(body.slice(body.indexOf('data: {"id":"chatcmpl-relay-1","object":"chat.completion.chunk","created":1764662400,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_relay","choices":[{"index":0,"delta":{"content":"，臺灣"}'), body.indexOf('data: {"id":"chatcmpl-relay-1","object":"chat.completion.chunk","created":1764662400,"model":"gpt-4o-mini-2024-07-18","choices":[],"usage"')));
  });

  it('reads invalid UTF-8 as text (replacement characters), as the re-encoding path does', async () => {
    const head = '"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt"';
    const event = (content: string, extra = '') => new TextEncoder().encode(`data: {${head},"choices":[{"index":0,"delta":{${extra}"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}]}\n\n`);
    const broken = event('ab');
    // "ab" → "a" + a lone continuation byte, the same length: the template matches the bytes around it.
    // All ASCII: the text's index is the byte's.
    broken[new TextDecoder().decode(broken).indexOf('"ab"') + 2] = 0x80;
    const done = new TextEncoder().encode('data: [DONE]\n\n');
    const parts = [event('', '"role":"assistant",'), event('x'), event('y'), broken, event('z'), done];
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    const cuts: number[] = [];
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
      cuts.push(offset);
    }
    const before = await reencode(bytes, cuts, false);
    const after = await relay(bytes, cuts, false);
    expect(clientView(after.sse)).toEqual(clientView(before.sse));
    expect(after.learned).toEqual(before.learned);
    expect(after.learned.text).toBe('xya\ufffdz');
    expect(after.sse).not.toContain('\u0080');
  });
});

describe('relayOpenAIStream and the upstream body', () => {
  /** A body of the given reads whose release (`return`) never settles, as a slow upstream close. */
  function body(reads: string[]): { iterable: AsyncIterable<Uint8Array>; released: () => number } {
    let released = 0;
    let at = 0;
    const iterator: AsyncIterator<Uint8Array> = {
      next: async () => (at < reads.length ? { done: false, value: new TextEncoder().encode(reads[at++] as string) } : { done: true, value: undefined }),
      return: () => {
        released++;
        return new Promise<IteratorResult<Uint8Array>>(() => undefined);
      },
    };
    return { iterable: { [Symbol.asyncIterator]: () => iterator }, released: () => released };
  }
  const head = '"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt"';
  const text = (content: string, extra = '') => `data: {${head},"choices":[{"index":0,"delta":{${extra}"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}]}\n\n`;
  const usage = `data: {${head},"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}\n\n`;

  it('after [DONE] releases the body without waiting for it, and still yields the usage', async () => {
    const upstream = body([text('a', '"role":"assistant",') + text('b') + usage + 'data: [DONE]\n\n', 'data: ignored\n\n']);
    const parts: RelayPart[] = [];
    for await (const part of relayOpenAIStream(upstream.iterable)) parts.push(part);
    expect(upstream.released()).toBe(1);
    expect(parts.some((part) => part.type === 'usage')).toBe(true);
  });

  it('leaves a body that ended alone, and releases one whose stream broke', async () => {
    const ended = body([text('a', '"role":"assistant",') + `data: {${head},"choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}\n\n` + usage]);
    for await (const part of relayOpenAIStream(ended.iterable)) void part;
    expect(ended.released()).toBe(0);
    const broken = body([text('a', '"role":"assistant",') + 'data: {"error":{"message":"boom"}}\n\n', text('b')]);
    await expect(async () => {
      for await (const part of relayOpenAIStream(broken.iterable)) void part;
    }).rejects.toThrow();
    expect(broken.released()).toBe(1);
  });
});

describe('plainEvents', () => {
  const utf8 = (text: string) => new TextEncoder().encode(text);
  it('finds the data of whole `data: ` events', () => {
    expect(plainEvents(utf8(''))).toEqual([]);
    expect(plainEvents(utf8('data: {"a":1}\n\ndata: [DONE]\n\n'))).toEqual([6, 13, 21, 27]);
    expect(plainEvents(utf8('data: 你\n\n'))).toEqual([6, 9]);
  });

  it('refuses anything the SSE parser would read otherwise, or that is not whole', () => {
    for (const text of ['data: x\n', 'data: x\n\ndata: y', 'data:x\n\n', 'data: x\r\n\r\n', ': ping\n\ndata: x\n\n', 'event: e\ndata: x\n\n', 'data: x\ndata: y\n\n', 'id: 1\ndata: x\n\n', '\ufeffdata: x\n\n', '\ndata: x\n\n', 'data: x\n\n\n']) {
      expect(plainEvents(utf8(text)), JSON.stringify(text)).toBeUndefined();
    }
    // Invalid UTF-8: a lone continuation byte, a character cut at the end of the read.
    expect(plainEvents(new Uint8Array([...utf8('data: '), 0x80, 0x0a, 0x0a]))).toBeUndefined();
    expect(plainEvents(utf8('data: 你\n\n').subarray(0, 8))).toBeUndefined();
  });
});

describe('relayOpenAIStream: a byte-order mark after plain events read as bytes', () => {
  it('is not the stream\'s first character: the TextDecoder must not strip it from the first read it decodes', async () => {
    const head = '"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt"';
    const event = (content: string) => `data: {${head},"choices":[{"index":0,"delta":{"content":${JSON.stringify(content)}},"logprobs":null,"finish_reason":null}]}\n\n`;
    // Read 1 is whole plain events (the bytes path, the decoder never sees it); read 2 opens with
    // U+FEFF mid-stream, so its first field is named "\uFEFFdata" and the SSE parser ignores it.
    const first = event('Hello');
    const body = `${first}\uFEFF${event(' injected')}${event(' world')}data: [DONE]\n\n`;
    const bytes = new TextEncoder().encode(body);
    const cuts = [new TextEncoder().encode(first).length];
    const before = await reencode(bytes, cuts, false);
    const after = await relay(bytes, cuts, false);
    expect(before.learned.text).toBe('Hello world');
    expect(after.learned).toEqual(before.learned);
    expect(clientView(after.sse)).toEqual(clientView(before.sse));
  });
});
