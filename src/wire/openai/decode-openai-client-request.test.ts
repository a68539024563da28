import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decodeOpenAIClientChatRequest, openAIChatRequestSchema } from './decode-openai-client-request.js';

/** The decode as a value: the request, or the error's class and message. */
function outcome(body: unknown, general: boolean): unknown {
  try {
    return { ok: decodeOpenAIClientChatRequest(body, { general }) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

// Values that are right for some field and wrong for most: every check of the plain path is crossed.
const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -0, 1, 2, 0.5, 1.5, 2.5, -1, 128, 129, 4096, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER, Number.NaN, Number.POSITIVE_INFINITY),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'auto', 'bench-model'),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 }),
  fc.constant({}),
);

const content = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant([{ type: 'text', text: 'part' }]),
  fc.constant([{ type: 'image_url', image_url: { url: 'https://example.test/a.png' } }]),
  fc.integer(),
);

/** Mostly a right value, sometimes anything: bodies near the edge of valid, where the two paths could part. */
const mostly = <T>(right: fc.Arbitrary<T>) => fc.oneof({ arbitrary: right, weight: 40 }, { arbitrary: anyValue, weight: 1 });

const message = fc.record(
  {
    role: fc.oneof({ arbitrary: fc.constantFrom('system', 'developer', 'user', 'assistant'), weight: 30 }, { arbitrary: fc.constantFrom('tool', 'other', 1), weight: 1 }),
    content: fc.oneof({ arbitrary: fc.string({ maxLength: 20 }), weight: 30 }, { arbitrary: content, weight: 1 }),
    name: mostly(fc.string({ maxLength: 6 })),
    tool_calls: fc.constantFrom(undefined, [], [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }], 'x'),
    refusal: fc.constantFrom(undefined, null, 'no', 3),
    tool_call_id: fc.constantFrom(undefined, 'c1'),
    extra: anyValue,
    withRare: fc.integer({ min: 0, max: 9 }),
  },
  { requiredKeys: ['role', 'content', 'withRare'] },
).map((generated) => {
  // The rarer fields appear on about one message in ten.
  const { tool_calls, refusal, tool_call_id, withRare, ...rest } = generated;
  return withRare === 0 ? { ...rest, tool_calls, refusal, tool_call_id } : rest;
});

const rarely = <T>(value: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 30 }, { arbitrary: value, weight: 1 });

const body = fc
  .record(
    {
      model: mostly(fc.constantFrom('bench-model', 'bench-model', 'bench-model', '')),
      messages: mostly(fc.oneof({ arbitrary: fc.array(message, { minLength: 1, maxLength: 4 }), weight: 12 }, { arbitrary: fc.constant([]), weight: 1 })),
      temperature: mostly(fc.double({ min: -0.1, max: 2.1, noNaN: true })),
      top_p: mostly(fc.double({ min: -0.1, max: 1.1, noNaN: true })),
      max_tokens: mostly(fc.integer({ min: -2, max: 5_000 })),
      max_completion_tokens: mostly(fc.integer({ min: -2, max: 5_000 })),
      stop: fc.oneof({ arbitrary: mostly(fc.string({ maxLength: 4 })), weight: 12 }, { arbitrary: fc.constantFrom(['a', 'b', 'c', 'd', 'e'], ['a']), weight: 1 }),
      seed: mostly(fc.integer()),
      n: mostly(fc.integer({ min: -1, max: 130 })),
      user: mostly(fc.string({ maxLength: 6 })),
      stream: mostly(fc.boolean()),
      stream_options: fc.oneof(rarely(fc.constantFrom(null, { include_usage: 'yes' }, [], { include_usage: null })), fc.constantFrom({ include_usage: true }, { include_usage: false }, {})),
      tools: rarely(fc.constantFrom([], [{ type: 'function', function: { name: 'f' } }])),
      tool_choice: rarely(fc.constantFrom('auto', 'sometimes')),
      parallel_tool_calls: rarely(fc.boolean()),
      response_format: rarely(fc.constantFrom({ type: 'json_object' }, { type: 'nope' })),
      unknown_field: anyValue,
    },
    { requiredKeys: ['model', 'messages'] },
  )
  // An explicit `undefined` is a key present: drop most of them, as JSON would never carry one.
  .map((generated) => Object.fromEntries(Object.entries(generated).filter(([key, value]) => value !== undefined || key.length % 5 === 0)));

describe('decodeOpenAIClientChatRequest', () => {
  it('decodes a plain request (hand-checked path) exactly as zod does, and refuses alike', () => {
    fc.assert(
      fc.property(fc.oneof(body, anyValue), (candidate) => {
        expect(outcome(candidate, false)).toEqual(outcome(candidate, true));
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes the plain path for a typical request and keeps every field', () => {
    const parse = vi.spyOn(openAIChatRequestSchema, 'safeParse');
    const decoded = decodeOpenAIClientChatRequest({
      model: 'bench-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello', name: 'ann' },
        { role: 'assistant', content: null },
      ],
      max_tokens: 64,
      temperature: 0.2,
      stop: 'END',
      stream: false,
    });
    expect(decoded.request).toEqual({
      model: 'bench-model',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
        { role: 'user', content: [{ type: 'text', text: 'Hello' }], name: 'ann' },
        { role: 'assistant', content: [] },
      ],
      stream: false,
      includeUsage: true,
      maxTokens: 64,
      temperature: 0.2,
      stop: ['END'],
    });
    expect(decoded.clientWantsUsage).toBe(false);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
  });
});
