import { describe, expect, it } from 'vitest';
import { parseSse, type SseEvent } from './parse-sse.js';

const encoder = new TextEncoder();

async function collect(chunks: Uint8Array[]): Promise<SseEvent[]> {
  async function* source(): AsyncGenerator<Uint8Array> {
    yield* chunks;
  }
  const events: SseEvent[] = [];
  for await (const event of parseSse(source())) events.push(event);
  return events;
}

/** Every way of cutting `bytes` in two, plus one-byte-at-a-time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const result: Uint8Array[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) result.push([bytes.slice(0, cut), bytes.slice(cut)]);
  result.push(Array.from(bytes, (_, index) => bytes.slice(index, index + 1)));
  return result;
}

const STREAM = [
  '\uFEFF: keep-alive comment',
  'event: message_start',
  'data: {"type":"message_start","text":"héllo ✓ 😀"}',
  '',
  'data: line one',
  'data: line two',
  'data',
  '',
  'event: empty-data-is-dropped',
  '',
  'id: 7',
  'data:no-space',
  'retry: 1000',
  '',
  'data: [DONE]',
  '',
  '',
];

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","text":"héllo ✓ 😀"}' },
  { data: 'line one\nline two\n' },
  { data: 'no-space', id: '7' },
  { data: '[DONE]', id: '7' },
];

describe('parseSse', () => {
  for (const [label, newline] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    it(`parses events identically at every split position (${label})`, async () => {
      const bytes = encoder.encode(STREAM.join(newline));
      for (const chunks of splits(bytes)) {
        expect(await collect(chunks)).toEqual(EXPECTED);
      }
    });
  }

  it('dispatches a final event whose blank line is missing but drops a truncated last line', async () => {
    expect(await collect([encoder.encode('data: a\n\ndata: b\n')])).toEqual([{ data: 'a' }, { data: 'b' }]);
    expect(await collect([encoder.encode('data: a\n\ndata: {"trunc')])).toEqual([{ data: 'a' }]);
  });

  it('propagates an error of the byte source after yielding the complete events', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield encoder.encode('data: first\n\ndata: sec');
      throw new Error('socket closed');
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSse(failing())) seen.push(event.data);
      })(),
    ).rejects.toThrow('socket closed');
    expect(seen).toEqual(['first']);
  });
});
