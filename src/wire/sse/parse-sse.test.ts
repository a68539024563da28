import { describe, expect, it } from 'vitest';
import { WireProtocolError } from '../wire-protocol-error.js';
import { parseSse, SseLineParser, type SseEvent } from './parse-sse.js';

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

  // An upstream that never ends a line (or keeps adding data lines to one event) must not grow
  // the gateway's memory until the call's total timeout.
  it('refuses a line or an event that grows past the cap, however it arrives', () => {
    const endless = new SseLineParser(1000);
    expect(() => {
      for (let index = 0; index < 20; index++) endless.push('data: ' + 'x'.repeat(100));
    }).toThrow(WireProtocolError);
    const manyLines = new SseLineParser(1000);
    expect(() => {
      for (let index = 0; index < 20; index++) manyLines.push('data: ' + 'y'.repeat(90) + '\n');
    }).toThrow(/larger than 1000 characters/);
    const crlf = new SseLineParser(1000);
    expect(() => {
      for (let index = 0; index < 20; index++) crlf.push('data: ' + 'z'.repeat(90) + '\r\n');
    }).toThrow(WireProtocolError);
  });

  it('keeps events under the cap, and counts each event afresh', () => {
    const parser = new SseLineParser(1000);
    const events: SseEvent[] = [];
    for (let index = 0; index < 50; index++) events.push(...parser.push('data: ' + 'a'.repeat(500) + '\n\n'));
    expect(events).toHaveLength(50);
    expect(events[49]?.data).toBe('a'.repeat(500));
  });
});
