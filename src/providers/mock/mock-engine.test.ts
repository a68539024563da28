import { describe, expect, it } from 'vitest';
import { mockOptionsSchema } from './mock-options-schema.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { StreamPart } from '../../model/stream-part.js';
import { createMockEngine } from './mock-engine.js';
import { countTokens, splitIntoTokenPieces } from './mock-tokens.js';

const user = (text: string): ChatRequest['messages'][number] => ({ role: 'user', content: [{ type: 'text', text }] });
const chat = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({ model: 'm', messages: [user(text)], stream: false, ...extra });
const options = (input: Parameters<typeof mockOptionsSchema.parse>[0]) => mockOptionsSchema.parse(input);

function streamedText(parts: StreamPart[], choice = 0): string {
  return parts.map((part) => (part.type === 'text-delta' && part.choice === choice ? part.text : '')).join('');
}

describe('mock tokens', () => {
  it.each([
    ['', 0],
    ['hello', 1],
    ['  hello   world  ', 2],
    ['你好世界', 4],
    ['Hello, 世界! ok', 5],
    ['line one\nline two\t', 4],
  ])('counts %j as %i tokens and splits it losslessly', (text, tokens) => {
    expect(countTokens(text)).toBe(tokens);
    const pieces = splitIntoTokenPieces(text);
    expect(pieces.join('')).toBe(text);
    expect(pieces.length).toBe(Math.max(tokens, text === '' ? 0 : 1));
  });
});

describe('mock engine replies', () => {
  it('echoes the last user message verbatim, streamed or not', () => {
    const engine = createMockEngine();
    const text = '  My IBAN is DE89 3704 0044 0532 0130 00, 电话 13800138000 \n';
    const request: ChatRequest = { model: 'm', stream: false, messages: [user('first'), { role: 'assistant', content: [{ type: 'text', text: 'x' }] }, user(text)] };
    const reply = engine.chat(request);
    expect(reply.response.choices[0]?.message.content).toBe(text);
    expect(reply.response.choices[0]?.finishReason).toBe('stop');
    expect(streamedText(engine.streamParts(reply))).toBe(text);
  });

  it('is deterministic: same request, same reply and usage', () => {
    const a = createMockEngine({ options: options({ reply: 'lorem', lorem_tokens: 12 }) });
    const b = createMockEngine({ options: options({ reply: 'lorem', lorem_tokens: 12 }) });
    const first = a.chat(chat('prompt one'));
    expect(b.chat(chat('prompt one')).response.choices).toEqual(first.response.choices);
    expect(first.response.usage).toEqual({ inputTokens: 2, outputTokens: 12 });
    expect(countTokens(first.response.choices[0]?.message.content ?? '')).toBe(12);
    expect(a.chat(chat('prompt two')).response.choices[0]?.message.content).not.toBe(first.response.choices[0]?.message.content);
  });

  it('walks the script by assistant turns', () => {
    const engine = createMockEngine({ options: options({ reply: 'scripted', script: ['one', 'two'] }) });
    const turn = (assistantTurns: number): string | null | undefined => {
      const messages: ChatRequest['messages'] = [user('q')];
      for (let index = 0; index < assistantTurns; index += 1) messages.push({ role: 'assistant', content: [{ type: 'text', text: 'a' }] }, user('q'));
      return engine.chat({ model: 'm', stream: false, messages }).response.choices[0]?.message.content;
    };
    expect([turn(0), turn(1), turn(2)]).toEqual(['one', 'two', 'one']);
  });

  it('truncates at max tokens with finish reason length, and at stop sequences', () => {
    const engine = createMockEngine();
    const long = engine.chat(chat('a b c d e', { maxTokens: 3 }));
    expect(long.response.choices[0]).toMatchObject({ message: { content: 'a b c' }, finishReason: 'length' });
    expect(long.response.usage?.outputTokens).toBe(3);
    expect(engine.chat(chat('hello STOP world', { stop: ['STOP'] })).response.choices[0]?.message.content).toBe('hello ');
  });

  it('answers n choices, interleaved in the stream, usage counting all of them', () => {
    const engine = createMockEngine();
    const reply = engine.chat(chat('x y', { n: 2 }));
    expect(reply.response.choices.map((choice) => choice.index)).toEqual([0, 1]);
    expect(reply.response.usage?.outputTokens).toBe(4);
    const parts = engine.streamParts(reply);
    expect(parts.map((part) => part.type)).toEqual(['start', 'text-delta', 'text-delta', 'text-delta', 'text-delta', 'finish', 'finish', 'usage']);
    expect(streamedText(parts, 1)).toBe('x y');
  });

  it('omits usage when report_usage is false', () => {
    const engine = createMockEngine({ options: options({ report_usage: false }) });
    const reply = engine.chat(chat('x'));
    expect(reply.response.usage).toBeUndefined();
    expect(engine.streamParts(reply).some((part) => part.type === 'usage')).toBe(false);
  });

  it('answers json_schema response formats with a value of the schema', () => {
    const engine = createMockEngine();
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 18 }, tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } } }, required: ['name', 'age', 'tags'] };
    const content = engine.chat(chat('x', { responseFormat: { type: 'json_schema', name: 'person', schema } })).response.choices[0]?.message.content;
    expect(JSON.parse(content ?? '')).toEqual({ name: 'mock-name', age: 18, tags: ['a'] });
    const json = engine.chat(chat('hi', { responseFormat: { type: 'json_object' } })).response.choices[0]?.message.content;
    expect(JSON.parse(json ?? '')).toEqual({ reply: 'hi' });
  });
});

describe('mock engine tool calls', () => {
  const tools: ChatRequest['tools'] = [
    { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] }, days: { type: 'integer' } }, required: ['city', 'unit'] } },
    { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } },
  ];

  it('calls the named tool with arguments matching its schema', () => {
    const engine = createMockEngine();
    const reply = engine.chat(chat('weather?', { tools, toolChoice: { name: 'get_weather' } }));
    const choice = reply.response.choices[0];
    expect(choice?.finishReason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.toolCalls).toHaveLength(1);
    expect(choice?.message.toolCalls?.[0]?.name).toBe('get_weather');
    expect(JSON.parse(choice?.message.toolCalls?.[0]?.arguments ?? '')).toEqual({ city: 'mock-city', unit: 'c' });
    expect(choice?.message.toolCalls?.[0]?.id).toMatch(/^call_/);
  });

  it('follows call:<tool> markers under auto, but answers text after a tool result', () => {
    const engine = createMockEngine();
    const marked = engine.chat(chat('please call:lookup and call:get_weather', { tools }));
    expect(marked.response.choices[0]?.message.toolCalls?.map((call) => call.name)).toEqual(['lookup', 'get_weather']);
    const serial = engine.chat(chat('call:lookup call:get_weather', { tools, parallelToolCalls: false }));
    expect(serial.response.choices[0]?.message.toolCalls).toHaveLength(1);
    const afterResult = engine.chat({
      model: 'm',
      stream: false,
      tools,
      messages: [user('call:lookup'), { role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'lookup', arguments: '{}' }] }, { role: 'tool', toolCallId: 'c1', content: [{ type: 'text', text: 'found' }] }],
    });
    expect(afterResult.response.choices[0]?.message.content).toBe('call:lookup');
    expect(engine.chat(chat('no marker', { tools })).response.choices[0]?.message.toolCalls).toBeUndefined();
    expect(engine.chat(chat('call:lookup', { tools, toolChoice: 'none' })).response.choices[0]?.message.toolCalls).toBeUndefined();
  });

  it("tool_choice 'required' without a marker calls the first tool; streams reassemble the arguments", () => {
    const engine = createMockEngine();
    const reply = engine.chat(chat('go', { tools, toolChoice: 'required' }, ), 'anthropic');
    const call = reply.response.choices[0]?.message.toolCalls?.[0];
    expect(call?.id).toMatch(/^toolu_/);
    const deltas = engine.streamParts(reply).filter((part) => part.type === 'tool-call-delta');
    expect(deltas[0]).toMatchObject({ id: call?.id, name: 'get_weather', argumentsDelta: '' });
    expect(deltas.map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : '')).join('')).toBe(call?.arguments);
  });
});

describe('mock engine embeddings', () => {
  it('returns normalised vectors that depend only on the input', () => {
    const engine = createMockEngine({ options: options({ embedding_dimensions: 16 }) });
    const result = engine.embed({ model: 'e', input: ['alpha', 'beta', 'alpha'] });
    expect(result.embeddings).toHaveLength(3);
    for (const vector of result.embeddings) {
      expect(vector).toHaveLength(16);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 10);
    }
    expect(result.embeddings[2]).toEqual(result.embeddings[0]);
    expect(result.embeddings[1]).not.toEqual(result.embeddings[0]);
    expect(createMockEngine().embed({ model: 'e', input: ['alpha'], dimensions: 16 }).embeddings[0]).toEqual(result.embeddings[0]);
    expect(result.usage.inputTokens).toBe(3);
  });
});
