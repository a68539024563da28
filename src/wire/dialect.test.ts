import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatResponse } from '../model/chat-response.js';
import { anthropicMessagesDialect } from './anthropic/anthropic-messages-dialect.js';
import { anthropicCountTokensDialect } from './anthropic/anthropic-count-tokens-dialect.js';
import type { AnyDialect, ChatDialect } from './dialect.js';
import { openAIChatDialect } from './openai/openai-chat-dialect.js';
import { openAIEmbeddingsDialect } from './openai/openai-embeddings-dialect.js';
import { openAICompletionsDialect } from './openai/openai-completions-dialect.js';
import { openAIResponsesDialect } from './openai-responses/openai-responses-dialect.js';

const DIALECTS: AnyDialect[] = [openAIChatDialect, openAIEmbeddingsDialect, openAIResponsesDialect, openAICompletionsDialect, anthropicMessagesDialect, anthropicCountTokensDialect];
const response: ChatResponse = {
  id: 'r1',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { content: 'hi' }, finishReason: 'stop' }],
  usage: { inputTokens: 3, outputTokens: 1 },
};

describe('dialects', () => {
  it('each has a distinct id, the one recorded as `inbound`', () => {
    expect(new Set(DIALECTS.map((dialect) => dialect.id)).size).toBe(DIALECTS.length);
  });

  it('refuse a malformed body with a 400 GatewayError, in their own error shape', () => {
    for (const dialect of DIALECTS) {
      let thrown: unknown;
      try {
        dialect.decode({ model: 42 });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, dialect.id).toBeInstanceOf(GatewayError);
      expect((thrown as GatewayError).status).toBe(400);
    }
    expect(openAIChatDialect.encodeError(new GatewayError('invalid_request', 'bad'))).toMatchObject({ error: { code: 'invalid_request', message: 'bad' } });
    expect(anthropicMessagesDialect.encodeError(new GatewayError('invalid_request', 'bad'))).toMatchObject({ type: 'error', error: { message: 'bad' } });
  });

  it('OpenAI chat keeps include_usage and the metadata template as options for the encoders', () => {
    const decoded = openAIChatDialect.decode({
      model: 'fast',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
      metadata: { template: 'greeting@1', variables: '{"name":"Ada"}' },
    });
    expect(decoded.options).toEqual({ includeUsage: true });
    expect(decoded.request.template).toEqual({ reference: 'greeting@1', variables: { name: 'Ada' } });
    const encoder = openAIChatDialect.encodeStream(decoded.options);
    encoder.encode({ type: 'start', id: 'c1', created: 1, model: 'm' });
    encoder.encode({ type: 'usage', usage: { inputTokens: 2, outputTokens: 5 } });
    expect(encoder.end()).toContain('"completion_tokens":5');
    expect(encoder.end().endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('chat dialects encode a response and a stream in their own shape', () => {
    const cases: Array<[ChatDialect<unknown>, unknown, string]> = [
      [openAIChatDialect, { model: 'fast', messages: [{ role: 'user', content: 'x' }] }, 'chat.completion'],
      [anthropicMessagesDialect, { model: 'fast', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }, 'message'],
      [openAIResponsesDialect, { model: 'fast', input: 'x' }, 'response'],
      [openAICompletionsDialect, { model: 'fast', prompt: 'x' }, 'text_completion'],
    ];
    for (const [dialect, body, object] of cases) {
      const { options } = dialect.decode(body);
      const encoded = dialect.encodeResponse(response, options) as { object?: string; type?: string };
      expect(encoded.object ?? encoded.type, dialect.id).toBe(object);
      const encoder = dialect.encodeStream(options);
      expect(encoder.error(new GatewayError('upstream_stream_interrupted', 'cut'))).toContain('upstream_stream_interrupted');
    }
  });

  it('embeddings honour encoding_format', () => {
    const { request, options } = openAIEmbeddingsDialect.decode({ model: 'embed', input: 'x', encoding_format: 'base64' });
    expect(request.input).toEqual(['x']);
    const encoded = openAIEmbeddingsDialect.encodeResponse({ model: 'e', embeddings: [[0.5]], usage: { inputTokens: 1 } }, options) as { data: Array<{ embedding: unknown }> };
    expect(typeof encoded.data[0]?.embedding).toBe('string');
  });
});
