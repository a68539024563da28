import type { GatewayError } from '../../errors/gateway-error.js';
import type { ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { EmbeddingResponse } from '../../model/embedding.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';

/**
 * Canonical responses → the exact OpenAI wire shapes (chat.completion, chat.completion.chunk,
 * list of embeddings). Used by the gateway's inbound API and by the mock upstream server, so
 * both speak byte-for-byte the same dialect.
 */

export interface OpenAIUsageWire {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens: number };
}

export function encodeOpenAIUsage(usage: Usage): OpenAIUsageWire {
  const wire: OpenAIUsageWire = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) wire.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  return wire;
}

export function encodeOpenAIChatResponse(response: ChatResponse): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: response.id,
    object: 'chat.completion',
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      index: choice.index,
      message: {
        role: 'assistant',
        content: choice.message.content,
        refusal: choice.message.refusal ?? null,
        ...(choice.message.toolCalls && choice.message.toolCalls.length > 0
          ? {
              tool_calls: choice.message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function',
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      },
      logprobs: null,
      finish_reason: choice.finishReason,
    })),
  };
  if (response.usage) body.usage = encodeOpenAIUsage(response.usage);
  if (response.systemFingerprint) body.system_fingerprint = response.systemFingerprint;
  return body;
}

export interface OpenAIStreamEncoderOptions {
  /** Emit the trailing usage chunk (the client set stream_options.include_usage). */
  includeUsage: boolean;
}

/**
 * Stateful encoder: one instance per stream. Returns the SSE text for each part ('' when the
 * part has no wire form of its own), and `end()` returns the closing `[DONE]`.
 */
export function createOpenAIStreamEncoder(options: OpenAIStreamEncoderOptions) {
  let head = { id: '', created: 0, model: '' };
  let pendingUsage: Usage | undefined;
  const rolesSent = new Set<number>();

  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
    `data: ${JSON.stringify({
      id: head.id,
      object: 'chat.completion.chunk',
      created: head.created,
      model: head.model,
      choices,
      ...extra,
    })}\n\n`;

  // OpenAI sends `role` only in each choice's first delta.
  const delta = (choice: number, fields: Record<string, unknown>): Record<string, unknown> => {
    if (rolesSent.has(choice)) return fields;
    rolesSent.add(choice);
    return { role: 'assistant', content: fields.content ?? (fields.tool_calls ? null : ''), ...fields };
  };

  return {
    encode(part: StreamPart): string {
      switch (part.type) {
        case 'thinking-delta':
        case 'thinking-signature':
        case 'redacted-thinking':
          // Chat Completions has no reasoning blocks; only a request on the Anthropic wire can ask for thinking.
          return '';
        case 'start':
          head = { id: part.id, created: part.created, model: part.model };
          return '';
        case 'text-delta':
          return chunk([{ index: part.choice, delta: delta(part.choice, { content: part.text }), logprobs: null, finish_reason: null }]);
        case 'tool-call-delta': {
          const call: Record<string, unknown> = { index: part.toolIndex };
          if (part.id !== undefined) {
            call.id = part.id;
            call.type = 'function';
          }
          const fn: Record<string, string> = { arguments: part.argumentsDelta };
          if (part.name !== undefined) fn.name = part.name;
          call.function = fn;
          return chunk([{ index: part.choice, delta: delta(part.choice, { tool_calls: [call] }), logprobs: null, finish_reason: null }]);
        }
        case 'finish':
          return chunk([{ index: part.choice, delta: rolesSent.has(part.choice) ? {} : delta(part.choice, {}), logprobs: null, finish_reason: part.finishReason satisfies FinishReason }]);
        case 'usage':
          pendingUsage = part.usage;
          return '';
      }
    },
    /** The usage chunk (when asked for) and the `[DONE]` sentinel. */
    end(): string {
      const usage = options.includeUsage && pendingUsage ? chunk([], { usage: encodeOpenAIUsage(pendingUsage) }) : '';
      return `${usage}data: [DONE]\n\n`;
    },
    /** A stream that broke after it started ends with an error object, never a clean [DONE]. */
    error(error: GatewayError): string {
      return `data: ${JSON.stringify(encodeOpenAIError(error))}\n\n`;
    },
    /**
     * OpenAI chat chunks may reach this client as the upstream wrote them: the relay
     * (wire/openai/relay-openai-stream.ts) passes only chunks this encoder would write the same,
     * and hands every other one, the usage and the end back here.
     */
    canPassThrough: (upstream: string): boolean => upstream === 'openai-chat',
  };
}

export function encodeOpenAIError(error: GatewayError): { error: Record<string, unknown> } {
  const body: Record<string, unknown> = {
    message: error.message,
    type: error.type,
    param: error.param,
    code: error.code,
  };
  if (error.attempts) body.attempts = error.attempts;
  return { error: body };
}

export function encodeOpenAIEmbeddingResponse(
  response: EmbeddingResponse,
  encodingFormat: 'float' | 'base64',
): Record<string, unknown> {
  return {
    object: 'list',
    data: response.embeddings.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: encodingFormat === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
    })),
    model: response.model,
    usage: { prompt_tokens: response.usage.inputTokens, total_tokens: response.usage.inputTokens },
  };
}
