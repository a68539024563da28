import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../../model/chat-response.js';
import { findOpenAISpecPath, loadOpenApiSpec, validateAgainstSchema, type OpenApiSpec } from '../../../test/support/openapi-validate.js';
import { COMPLETIONS_DEFAULT_MAX_TOKENS, decodeCompletionsRequest } from './decode-completions-request.js';
import { createCompletionsStreamEncoder, encodeCompletionsResponse } from './encode-completions-response.js';

const specPath = findOpenAISpecPath();
if (!specPath && process.env.CI === 'true') throw new Error('../shared/reference/openai-openapi/openapi.yaml is missing under CI=true');
const spec: OpenApiSpec | undefined = specPath ? loadOpenApiSpec(specPath) : undefined;
const expectValid = (schema: string, value: unknown) => {
  if (spec) expect(validateAgainstSchema(spec, schema, value)).toEqual([]);
};

describe('decodeCompletionsRequest', () => {
  it('turns the prompt into one user message with the legacy default output cap', () => {
    const body = { model: 'chat', prompt: 'Once upon a time', temperature: 0.5, stop: '\n', n: 2 };
    expectValid('CreateCompletionRequest', body);
    const { request } = decodeCompletionsRequest(body);
    expect(request).toMatchObject({ model: 'chat', messages: [{ role: 'user', content: [{ type: 'text', text: 'Once upon a time' }] }], maxTokens: COMPLETIONS_DEFAULT_MAX_TOKENS, temperature: 0.5, stop: ['\n'], n: 2, stream: false });
    expect(decodeCompletionsRequest({ model: 'chat', prompt: ['one'], max_tokens: 100, stream: true, stream_options: { include_usage: true } })).toMatchObject({
      request: { maxTokens: 100, stream: true, messages: [{ content: [{ text: 'one' }] }] },
      clientWantsUsage: true,
    });
  });

  it.each([
    [{ suffix: ' end.' }, 'suffix'],
    [{ echo: true }, 'echo'],
    [{ logprobs: 2 }, 'logprobs'],
    [{ best_of: 3 }, 'best_of'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ presence_penalty: 0.5 }, 'presence_penalty'],
    [{ prompt: [[1, 2, 3]] }, 'prompt'],
    [{ prompt: ['a', 'b'] }, 'prompt'],
    [{ mystery: true }, 'mystery'],
  ])('refuses %j by name', (extra, param) => {
    expect(() => decodeCompletionsRequest({ model: 'chat', prompt: 'x', ...extra })).toThrow(expect.objectContaining({ code: 'unsupported_feature', status: 400, param }));
  });

  it('accepts the off values of refused parameters', () => {
    expect(() => decodeCompletionsRequest({ model: 'chat', prompt: 'x', suffix: null, echo: false, logprobs: null, best_of: 1, presence_penalty: 0 })).not.toThrow();
  });
});

describe('completions encoders', () => {
  const response: ChatResponse = {
    id: 'chatcmpl-42',
    model: 'mock-1',
    created: 1_700_000_000,
    choices: [{ index: 0, message: { content: ' there was a fox.' }, finishReason: 'stop' }],
    usage: { inputTokens: 4, outputTokens: 5 },
  };

  it('encodes a text_completion valid against the spec', () => {
    const body = encodeCompletionsResponse(response);
    expectValid('CreateCompletionResponse', body);
    expect(body).toMatchObject({ id: 'cmpl-42', object: 'text_completion', choices: [{ text: ' there was a fox.', index: 0, logprobs: null, finish_reason: 'stop' }], usage: { total_tokens: 9 } });
  });

  it('streams chunks, the final finish reason, usage when asked, then [DONE]', () => {
    const encoder = createCompletionsStreamEncoder({ includeUsage: true });
    const text =
      encoder.encode({ type: 'start', id: 'chatcmpl-42', model: 'mock-1', created: 1 }) +
      encoder.encode({ type: 'text-delta', choice: 0, text: ' there' }) +
      encoder.encode({ type: 'finish', choice: 0, finishReason: 'length' }) +
      encoder.encode({ type: 'usage', usage: { inputTokens: 1, outputTokens: 2 } }) +
      encoder.end();
    const blocks = text.split('\n\n').filter(Boolean);
    expect(blocks.at(-1)).toBe('data: [DONE]');
    const chunks = blocks.slice(0, -1).map((block) => JSON.parse(block.slice(6)) as { choices: Array<{ finish_reason: string | null; text: string }>; usage?: unknown });
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? null)).toEqual([' there', '', null]);
    expect(chunks[1]?.choices[0]?.finish_reason).toBe('length');
    expect(chunks[2]?.usage).toEqual({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
    // Intermediate chunks carry finish_reason null, as OpenAI sends them; the rest is the spec's shape.
    expectValid('CreateCompletionResponse', chunks[1]);
    expectValid('CreateCompletionResponse', chunks[2]);
    expectValid('CreateCompletionResponse', { ...chunks[0], choices: [{ ...chunks[0]!.choices[0], finish_reason: 'stop' }] });
  });
});
