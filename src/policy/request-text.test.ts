import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request.js';
import { extractSegments, mapRequestText } from './request-text.js';

const request: ChatRequest = {
  model: 'm',
  stream: false,
  messages: [
    { role: 'user', content: [{ type: 'text', text: '{"looks":"like json"}' }, { type: 'image', url: 'https://x/y.png' }] },
    { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: '{ "a": ["x", {"b": "y"}], "n": 1 }' }] },
    { role: 'tool', toolCallId: 'c', content: [{ type: 'text', text: '[ "r1" ]' }] },
  ],
};

describe('request text segments', () => {
  it('lists prose whole, and JSON string values of tool arguments and tool results one by one', () => {
    expect(extractSegments(request).map((segment) => [segment.location, segment.text])).toEqual([
      [{ kind: 'content', message: 0, part: 0 }, '{"looks":"like json"}'],
      [{ kind: 'tool-arguments', message: 1, call: 0, jsonPath: ['a', 0] }, 'x'],
      [{ kind: 'tool-arguments', message: 1, call: 0, jsonPath: ['a', 1, 'b'] }, 'y'],
      [{ kind: 'content', message: 2, part: 0, jsonPath: [0] }, 'r1'],
    ]);
  });

  it('includes the forwarded user field last', () => {
    const segments = extractSegments({ ...request, user: 'mei@example.tw' });
    expect(segments.at(-1)).toEqual({ location: { kind: 'user-field' }, text: 'mei@example.tw' });
    expect(mapRequestText({ ...request, user: 'a' }, (text) => (text === 'a' ? 'b' : text)).user).toBe('b');
  });

  it('keeps untouched JSON byte for byte and re-serialises changed JSON validly', () => {
    const same = mapRequestText(request, (text) => text);
    expect(same.messages[1]?.toolCalls?.[0]?.arguments).toBe('{ "a": ["x", {"b": "y"}], "n": 1 }');
    const changed = mapRequestText(request, (text) => (text === 'y' ? 'quote " and \\ backslash' : text));
    expect(JSON.parse(changed.messages[1]?.toolCalls?.[0]?.arguments ?? '')).toEqual({ a: ['x', { b: 'quote " and \\ backslash' }], n: 1 });
    expect(changed.messages[0]?.content[1]).toEqual({ type: 'image', url: 'https://x/y.png' });
    expect(request.messages[1]?.toolCalls?.[0]?.arguments).toBe('{ "a": ["x", {"b": "y"}], "n": 1 }');
  });
});
