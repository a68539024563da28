import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../model/stream-part.js';
import type { SseEvent } from '../sse/parse-sse.js';
import { decodeOpenAIStream } from './decode-openai-stream.js';

async function decode(payloads: Array<object | string>): Promise<StreamPart[]> {
  async function* events(): AsyncGenerator<SseEvent> {
    for (const payload of payloads) yield { data: typeof payload === 'string' ? payload : JSON.stringify(payload) };
  }
  const parts: StreamPart[] = [];
  for await (const part of decodeOpenAIStream(events())) parts.push(part);
  return parts;
}

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm' };
const chunk = (choices: object[], usage: object | null = null) => ({ ...head, choices, usage });
const usage = (completion: number) => ({ prompt_tokens: 5, completion_tokens: completion, total_tokens: 5 + completion });

describe('decodeOpenAIStream', () => {
  it('keeps choices apart when n > 1', async () => {
    const parts = await decode([
      chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }, { index: 1, delta: { content: 'b' }, finish_reason: null }]),
      chunk([{ index: 1, delta: {}, finish_reason: 'length' }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      '[DONE]',
    ]);
    expect(parts.slice(1)).toEqual([
      { type: 'text-delta', choice: 0, text: 'a' },
      { type: 'text-delta', choice: 1, text: 'b' },
      { type: 'finish', choice: 1, finishReason: 'length' },
      { type: 'finish', choice: 0, finishReason: 'stop' },
    ]);
  });

  it('emits usage once, the last value, even when a server repeats it on every chunk (vLLM)', async () => {
    const parts = await decode([
      chunk([{ index: 0, delta: { content: 'x' }, finish_reason: null }], usage(1)),
      chunk([{ index: 0, delta: { content: 'y' }, finish_reason: 'stop' }], usage(2)),
      '[DONE]',
    ]);
    expect(parts.filter((part) => part.type === 'usage')).toEqual([{ type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } }]);
  });

  it('accepts a finished stream without [DONE] but rejects an unfinished one', async () => {
    await expect(decode([chunk([{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }])])).resolves.toHaveLength(3);
    await expect(decode([chunk([{ index: 0, delta: { content: 'x' }, finish_reason: null }])])).rejects.toThrow('ended before');
  });

  it('closes a choice left open at [DONE] and reports tool calls as the finish reason', async () => {
    const parts = await decode([
      chunk([{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, finish_reason: null }]),
      '[DONE]',
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', choice: 0, finishReason: 'tool_calls' });
  });

  it('raises an error payload sent mid-stream', async () => {
    await expect(
      decode([chunk([{ index: 0, delta: { content: 'x' }, finish_reason: null }]), { error: { message: 'The server had an error', type: 'server_error' } }]),
    ).rejects.toMatchObject({ name: 'WireProtocolError', reportedByUpstream: true });
  });
});
