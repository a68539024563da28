import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../model/chat-request.js';
import { encodeAnthropicRequest } from './encode-anthropic-request.js';

const tool = { name: 'f', parameters: { type: 'object' } };
const base: ChatRequest = { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false };

describe('encodeAnthropicRequest', () => {
  it('maps tool_choice and the parallel flag', () => {
    const encode = (toolChoice: ChatRequest['toolChoice'], parallelToolCalls?: boolean) =>
      encodeAnthropicRequest({ ...base, tools: [tool], toolChoice, parallelToolCalls }, 'm').tool_choice;
    expect(encode(undefined)).toBeUndefined();
    expect(encode('required')).toEqual({ type: 'any' });
    expect(encode('none')).toEqual({ type: 'none' });
    expect(encode({ name: 'f' }, false)).toEqual({ type: 'tool', name: 'f', disable_parallel_tool_use: true });
    expect(encode(undefined, false)).toEqual({ type: 'auto', disable_parallel_tool_use: true });
  });

  it('joins several system messages and merges parallel tool results into one user turn', () => {
    const body = encodeAnthropicRequest(
      {
        ...base,
        messages: [
          { role: 'system', content: [{ type: 'text', text: 'A' }] },
          { role: 'system', content: [{ type: 'text', text: 'B' }] },
          { role: 'user', content: [{ type: 'text', text: 'q' }] },
          { role: 'assistant', content: [{ type: 'text', text: 'checking' }], toolCalls: [
            { id: 't1', name: 'f', arguments: '{"a":1}' },
            { id: 't2', name: 'f', arguments: 'not json' },
          ] },
          { role: 'tool', toolCallId: 't1', content: [{ type: 'text', text: 'one' }] },
          { role: 'tool', toolCallId: 't2', content: [{ type: 'text', text: 'two' }] },
        ],
      },
      'm',
    );
    expect(body.system).toBe('A\n\nB');
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'checking' },
          { type: 'tool_use', id: 't1', name: 'f', input: { a: 1 } },
          { type: 'tool_use', id: 't2', name: 'f', input: { _raw_arguments: 'not json' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'one' },
          { type: 'tool_result', tool_use_id: 't2', content: 'two' },
        ],
      },
    ]);
  });
});
