import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockUpstream, type MockUpstream } from './mock-upstream-server.js';

/** The official SDKs are the strictest judges of wire shapes: if they parse it, clients will. */
let mock: MockUpstream;
let openai: OpenAI;
let anthropic: Anthropic;
const apiKey = 'sk-mock-sdk-test';

beforeAll(async () => {
  mock = await startMockUpstream({ apiKey, options: { embedding_dimensions: 6 } });
  openai = new OpenAI({ apiKey, baseURL: `${mock.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey, baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

describe('official openai client against the mock', () => {
  it('non-stream chat', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-mock', messages: [{ role: 'user', content: 'Ni hao 你好' }] });
    expect(completion.choices[0]?.message.content).toBe('Ni hao 你好');
    expect(completion.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });
  });

  it('stream chat with usage', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-mock', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me please' }] });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('stream me please');
    expect(usage).toMatchObject({ completion_tokens: 3 });
  });

  it('tool calls, streamed and assembled by the SDK helper', async () => {
    const runner = openai.chat.completions.stream({ model: 'gpt-mock', tools: [weatherTool], tool_choice: 'required', messages: [{ role: 'user', content: 'weather?' }] });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? call.function : undefined).toMatchObject({ name: 'get_weather', arguments: '{"city":"mock-city"}' });
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('embeddings (the SDK asks for base64 and decodes it) and models', async () => {
    const result = await openai.embeddings.create({ model: 'emb', input: ['alpha', 'beta'] });
    expect(result.data.map((item) => item.embedding.length)).toEqual([6, 6]);
    expect(Math.hypot(...(result.data[0]?.embedding ?? []))).toBeCloseTo(1, 5);
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toContain('mock-chat');
  });

  it('a stream cut surfaces as an error in the SDK, not a clean end', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-mock', stream: true, messages: [{ role: 'user', content: 'a b c d e [[mock:fault=stream_cut:2]]' }] });
    let text = '';
    await expect((async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })()).rejects.toThrow();
    expect(text).toBe('a b');
  });

  it('429 surfaces as RateLimitError with the retry headers; wrong key as AuthenticationError', async () => {
    const error = await openai.chat.completions.create({ model: 'gpt-mock', messages: [{ role: 'user', content: 'x [[mock:fault=rate_limit:3]]' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after')).toBe('3');
    const wrong = new OpenAI({ apiKey: 'nope', baseURL: `${mock.url}/v1`, maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('the AzureOpenAI client reaches deployment URLs', async () => {
    const azure = new AzureOpenAI({ apiKey, endpoint: mock.url, apiVersion: '2024-10-21', deployment: 'gpt4o-prod', maxRetries: 0 });
    const completion = await azure.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'from azure' }] });
    expect(completion.choices[0]?.message.content).toBe('from azure');
    expect(mock.requests.entries().at(-1)).toMatchObject({ api: 'azure', path: '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21' });
  });
});

describe('official @anthropic-ai/sdk client against the mock', () => {
  it('non-stream message', async () => {
    const message = await anthropic.messages.create({ model: 'claude-mock', max_tokens: 64, system: 'sys', messages: [{ role: 'user', content: 'Bonjour tout le monde' }] });
    expect(message.content).toEqual([{ type: 'text', text: 'Bonjour tout le monde' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 5, output_tokens: 4 });
  });

  it('stream message through the SDK stream helper', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-mock', max_tokens: 64, messages: [{ role: 'user', content: 'streaming 流式 reply' }] });
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const final = await stream.finalMessage();
    expect(text).toBe('streaming 流式 reply');
    expect(final.content).toEqual([{ type: 'text', text: 'streaming 流式 reply' }]);
    expect(final.usage.output_tokens).toBe(4);
  });

  it('streamed tool use assembles to the schema example', async () => {
    const final = await anthropic.messages
      .stream({
        model: 'claude-mock',
        max_tokens: 64,
        tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
        messages: [{ role: 'user', content: 'call:get_weather please' }],
      })
      .finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content[0]).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'mock-city' } });
  });

  it('max_tokens truncates with stop_reason max_tokens; errors map to SDK classes', async () => {
    const message = await anthropic.messages.create({ model: 'claude-mock', max_tokens: 2, messages: [{ role: 'user', content: 'one two three' }] });
    expect(message).toMatchObject({ content: [{ text: 'one two' }], stop_reason: 'max_tokens' });
    await expect(anthropic.messages.create({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: '[[mock:fault=error:529]]' }] })).rejects.toBeInstanceOf(Anthropic.InternalServerError);
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: mock.url, maxRetries: 0 });
    await expect(wrong.messages.create({ model: 'c', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('a stream cut surfaces as an error, never a final message', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-mock', max_tokens: 64, messages: [{ role: 'user', content: 'a b c [[mock:fault=stream_cut:1]]' }] });
    await expect(stream.finalMessage()).rejects.toThrow();
  });
});
