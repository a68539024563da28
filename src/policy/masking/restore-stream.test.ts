import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../model/chat-response.js';
import type { StreamPart } from '../../model/stream-part.js';
import { PlaceholderVault } from './placeholder-vault.js';
import { createStreamRestorer, restoreStream } from './restore-stream.js';
import { restoreChatResponse, restoreText } from './restore-text.js';

function vault(): PlaceholderVault {
  const result = new PlaceholderVault();
  result.placeholderFor('PERSON', '王小明'); // [PERSON_1]
  result.placeholderFor('PERSON', 'Alice "Al" Chen'); // [PERSON_2]
  result.placeholderFor('TW_NATIONAL_ID', 'A123456789'); // [TW_NATIONAL_ID_1]
  for (let index = 0; index < 10; index += 1) result.placeholderFor('PERSON', `p${index}`); // up to [PERSON_12]
  return result;
}

/**
 * Where restored values sit in the one-shot restore of `text`. A chunk boundary strictly inside
 * one would mean a placeholder was split on the way out.
 */
function restoredIntervals(text: string, source: PlaceholderVault): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  let shift = 0;
  for (const match of text.matchAll(/\[[A-Z][A-Z0-9_]*\]/g)) {
    const original = source.originalOf(match[0]);
    if (original === undefined) continue;
    const start = match.index + shift;
    intervals.push([start, start + original.length]);
    shift += original.length - match[0].length;
  }
  return intervals;
}

/** The stream equals the one-shot restore, and no chunk boundary falls inside a restored value. */
function expectWholeRestore(text: string, out: readonly string[]): void {
  expect(out.join('')).toBe(restoreText(text, vault()));
  const intervals = restoredIntervals(text, vault());
  let boundary = 0;
  for (const chunk of out) {
    boundary += chunk.length;
    for (const [start, end] of intervals) expect(boundary > start && boundary < end).toBe(false);
  }
}

function runChunks(chunks: readonly string[], restorerVault = vault()): string[] {
  const restorer = createStreamRestorer(restorerVault);
  const out = chunks.map((chunk) => restorer.push(chunk));
  out.push(restorer.flush());
  return out;
}

const TEXTS = [
  '您好[PERSON_1]，您的身分證[TW_NATIONAL_ID_1]已驗證。[PERSON_2]說：「[PERSON_1]」',
  '未知的[PERSON_99]與[person_1]和[PERSON_1 不變[PERSON_12][PERSON_1]]',
  '括號[[PERSON_1]][TW_NATIONAL_ID_1[PERSON_1]結尾沒有關閉[PERSON_1',
];

describe('createStreamRestorer', () => {
  it.each(TEXTS)('gives the same text as a one-shot restore for every 2- and 3-way split of %s', (text) => {
    for (let first = 0; first <= text.length; first += 1) {
      for (let second = first; second <= text.length; second += 1) {
        const chunks = [text.slice(0, first), text.slice(first, second), text.slice(second)];
        expectWholeRestore(text, runChunks(chunks));
      }
    }
  });

  it.each(TEXTS)('handles one-character chunks of %s', (text) => {
    expectWholeRestore(text, runChunks([...text]));
  });

  it('holds back only a tail that can still become a known placeholder', () => {
    const restorer = createStreamRestorer(vault());
    expect(restorer.push('你好 [')).toBe('你好 ');
    expect(restorer.push('PERSON_')).toBe('');
    expect(restorer.push('1')).toBe(''); // could still be [PERSON_1] or [PERSON_12]
    expect(restorer.push('3')).toBe('[PERSON_13'); // no known placeholder starts like this
    expect(restorer.push(' [x] [PERSON_2] ok')).toBe(' [x] Alice "Al" Chen ok');
    expect(restorer.push('[TW')).toBe('');
    expect(restorer.flush()).toBe('[TW');
    expect(restorer.flush()).toBe('');
  });

  it('never holds more than the longest placeholder when a bracket never closes', () => {
    const restorer = createStreamRestorer(vault());
    restorer.push('[PERSON_1');
    expect(restorer.push('0 and then a long text without a closing bracket')).toBe('[PERSON_10 and then a long text without a closing bracket');
  });

  it('escapes restored values for JSON channels', () => {
    const restorer = createStreamRestorer(vault(), { json: true });
    const out = restorer.push('{"who":"[PERS') + restorer.push('ON_2]"}') + restorer.flush();
    expect(JSON.parse(out)).toEqual({ who: 'Alice "Al" Chen' });
  });

  it('matches a one-shot restore for any random chunking (property)', () => {
    const alphabet = fc.constantFrom('[', ']', '_', 'P', 'PERSON', '[PERSON_1]', '[PERSON_', '1', '2', '[TW_NATIONAL_ID_1]', '王', '。', ' ', 'x');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), fc.array(fc.nat(60), { maxLength: 8 }), (pieces, cuts) => {
        const text = pieces.join('');
        const positions = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...positions].map((start, index) => text.slice(start, [...positions, text.length][index]));
        expectWholeRestore(text, runChunks(chunks));
        // Minimal hold: whatever is held after any push is a proper prefix of a known placeholder.
        const known = vault().placeholders();
        for (let end = 0; end <= text.length; end += 1) {
          const probe = createStreamRestorer(vault());
          probe.push(text.slice(0, end));
          const held = probe.flush();
          expect(held === '' || known.some((placeholder) => placeholder.startsWith(held) && placeholder !== held)).toBe(true);
          // …and nothing shorter would do: the held text is exactly the tail from the last '['.
          if (held !== '') expect(text.slice(0, end).endsWith(held) && !held.slice(1).includes('[')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

async function* from(parts: StreamPart[]): AsyncIterable<StreamPart> {
  yield* parts;
}

describe('restoreStream', () => {
  it('restores text and tool-call arguments per choice, flushing before each finish', async () => {
    const parts: StreamPart[] = [
      { type: 'start', id: 's', model: 'm', created: 1 },
      { type: 'text-delta', choice: 0, text: '好的，[PER' },
      { type: 'text-delta', choice: 1, text: '[TW_NATIONAL' },
      { type: 'text-delta', choice: 0, text: 'SON_1' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{"n":"[PERSON_' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: '2]"}' },
      { type: 'text-delta', choice: 0, text: ']！[PERSON_' },
      { type: 'finish', choice: 0, finishReason: 'tool_calls' },
      { type: 'text-delta', choice: 1, text: '_ID_1]' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
    ];
    const out = await collect(restoreStream(from(parts), vault()));
    expect(out).toEqual([
      { type: 'start', id: 's', model: 'm', created: 1 },
      { type: 'text-delta', choice: 0, text: '好的，' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{"n":"' },
      { type: 'tool-call-delta', choice: 0, toolIndex: 0, argumentsDelta: 'Alice \\"Al\\" Chen"}' },
      { type: 'text-delta', choice: 0, text: '王小明！' },
      { type: 'text-delta', choice: 0, text: '[PERSON_' },
      { type: 'finish', choice: 0, finishReason: 'tool_calls' },
      { type: 'text-delta', choice: 1, text: 'A123456789' },
      { type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } },
    ]);
  });

  it('flushes held text when the stream ends without a finish', async () => {
    const out = await collect(restoreStream(from([{ type: 'text-delta', choice: 0, text: 'x[PERSON_1' }]), vault()));
    expect(out).toEqual([{ type: 'text-delta', choice: 0, text: 'x' }, { type: 'text-delta', choice: 0, text: '[PERSON_1' }]);
  });

  it('passes a stream through untouched when nothing was masked reversibly', async () => {
    const parts: StreamPart[] = [{ type: 'text-delta', choice: 0, text: '[PERSON_1]' }];
    expect(await collect(restoreStream(from(parts), new PlaceholderVault()))).toEqual(parts);
  });
});

describe('restoreChatResponse', () => {
  it('restores content and keeps tool-call arguments valid JSON', () => {
    const response: ChatResponse = {
      id: 'r',
      model: 'm',
      created: 1,
      choices: [
        {
          index: 0,
          finishReason: 'tool_calls',
          message: { content: '[PERSON_1] 與 [PERSON_99]', toolCalls: [{ id: 'c', name: 'f', arguments: '{"who":"[PERSON_2]","id":"[TW_NATIONAL_ID_1]"}' }] },
        },
      ],
    };
    const restored = restoreChatResponse(response, vault());
    expect(restored.choices[0]?.message.content).toBe('王小明 與 [PERSON_99]');
    expect(JSON.parse(restored.choices[0]?.message.toolCalls?.[0]?.arguments ?? '')).toEqual({ who: 'Alice "Al" Chen', id: 'A123456789' });
    expect(response.choices[0]?.message.content).toBe('[PERSON_1] 與 [PERSON_99]');
  });
});
