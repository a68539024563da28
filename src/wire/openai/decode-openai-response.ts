/**
 * OpenAI Chat Completions / Embeddings response bodies → canonical. Upstream bytes are
 * untrusted: shapes are checked as they are read, and anything unusable is a
 * WireProtocolError rather than a crash deeper in the pipeline.
 */
import type { ChatChoice, ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { EmbeddingResponse } from '../../model/embedding.js';
import type { ToolCall } from '../../model/chat-message.js';
import type { Usage } from '../../model/usage.js';
import { isRecord, WireProtocolError } from '../wire-protocol-error.js';
import type { OpenAIChatCompletion, OpenAIToolCall, OpenAIUsage } from './openai-types.js';

export function decodeOpenAIChatResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new WireProtocolError('The upstream chat completion has no choices array.');
  }
  const completion = body as unknown as OpenAIChatCompletion;
  const choices = completion.choices.map((choice, position): ChatChoice => {
    if (!isRecord(choice) || !isRecord(choice.message)) {
      throw new WireProtocolError('An upstream chat completion choice has no message.');
    }
    const toolCalls = decodeToolCalls(choice.message.tool_calls);
    return {
      index: typeof choice.index === 'number' ? choice.index : position,
      message: {
        content: typeof choice.message.content === 'string' ? choice.message.content : null,
        ...(toolCalls.length > 0 ? { toolCalls } : {}),
        ...(typeof choice.message.refusal === 'string' ? { refusal: choice.message.refusal } : {}),
      },
      finishReason: decodeOpenAIFinishReason(choice.finish_reason, toolCalls.length > 0),
    };
  });
  const usage = decodeOpenAIUsage(completion.usage);
  return {
    id: typeof completion.id === 'string' ? completion.id : '',
    model: typeof completion.model === 'string' ? completion.model : '',
    created: typeof completion.created === 'number' ? completion.created : Math.floor(Date.now() / 1000),
    choices,
    ...(usage !== undefined ? { usage } : {}),
    ...(typeof completion.system_fingerprint === 'string' ? { systemFingerprint: completion.system_fingerprint } : {}),
  };
}

function decodeToolCalls(calls: OpenAIToolCall[] | undefined): ToolCall[] {
  if (!Array.isArray(calls)) return [];
  // Custom (free-text) tools have no canonical form; the gateway only declares function tools.
  return calls.flatMap((call) =>
    isRecord(call) && call.type === 'function' && isRecord(call.function)
      ? [{ id: String(call.id ?? ''), name: String(call.function.name ?? ''), arguments: String(call.function.arguments ?? '') }]
      : [],
  );
}

/**
 * `function_call` is the deprecated spelling of `tool_calls`. Servers such as older Ollama
 * report "stop" after a tool call; tool calls present means the turn ended to call them.
 */
export function decodeOpenAIFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'length':
      return 'length';
    case 'content_filter':
      return 'content_filter';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    default:
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

export function decodeOpenAIUsage(usage: OpenAIUsage | null | undefined): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const inputTokens = usage.prompt_tokens;
  const outputTokens = usage.completion_tokens;
  if (typeof inputTokens !== 'number' || typeof outputTokens !== 'number') return undefined;
  const cached = isRecord(usage.prompt_tokens_details) ? usage.prompt_tokens_details.cached_tokens : undefined;
  return { inputTokens, outputTokens, ...(typeof cached === 'number' ? { cachedInputTokens: cached } : {}) };
}

export function decodeOpenAIEmbeddingResponse(body: unknown): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.data)) {
    throw new WireProtocolError('The upstream embedding response has no data array.');
  }
  // The API does not promise order; `index` is authoritative.
  const items = [...body.data].sort((left, right) => indexOf(left) - indexOf(right));
  const embeddings = items.map((item) => {
    if (!isRecord(item)) throw new WireProtocolError('An upstream embedding item is not an object.');
    return decodeVector(item.embedding);
  });
  const usage = isRecord(body.usage) && typeof body.usage.prompt_tokens === 'number' ? body.usage.prompt_tokens : 0;
  return { model: typeof body.model === 'string' ? body.model : '', embeddings, usage: { inputTokens: usage } };
}

function indexOf(item: unknown): number {
  return isRecord(item) && typeof item.index === 'number' ? item.index : 0;
}

/** Floats as sent with encoding_format=float; base64 little-endian float32 if a server ignored it. */
function decodeVector(value: unknown): number[] {
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'number')) return value as number[];
  if (typeof value === 'string') {
    // Copy first: Buffer's pooled memory may not be 4-byte aligned for a Float32Array view.
    const bytes = new Uint8Array(Buffer.from(value, 'base64'));
    return Array.from(new Float32Array(bytes.buffer, 0, Math.floor(bytes.byteLength / 4)));
  }
  throw new WireProtocolError('An upstream embedding is neither a number array nor base64.');
}
