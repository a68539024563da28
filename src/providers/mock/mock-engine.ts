import { mockOptionsSchema, type MockOptions } from './mock-options-schema.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../../model/embedding.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { ToolCall } from '../../model/chat-message.js';
import type { Usage } from '../../model/usage.js';
import { createFaultDecider, type MockFault } from './mock-faults.js';
import { createSeededRandom, hashString, type RandomSource } from './mock-random.js';
import { lastUserText, replyText } from './mock-reply-text.js';
import { countTokens, splitIntoTokenPieces } from './mock-tokens.js';
import { decideToolCalls } from './mock-tool-calls.js';

/**
 * The mock's brain, shared by the in-process adapter and the standalone server: deterministic
 * replies, usage, embeddings and fault decisions from a canonical request. It does no I/O and
 * no waiting; pacing lives in mock-pacing.ts.
 *
 * Usage rule (documented in README.md): input tokens = mock tokens (words + CJK characters,
 * see mock-tokens.ts) over every message's text and tool-call arguments; output tokens = the
 * reply's pieces (one per token) × n, or per tool call its argument tokens + 1.
 */

/** A finished reply plus the per-token pieces of its text, so streams need not re-split it. */
export interface MockReply {
  response: ChatResponse;
  /** The text reply split into stream pieces (identical for every choice); [] for tool calls. */
  pieces: string[];
}

/** Wire dialect for ids: OpenAI `chatcmpl-…`/`call_…`, Anthropic `msg_…`/`toolu_…`. */
export type MockIdStyle = 'openai' | 'anthropic';

export interface MockEngineOptions {
  /** Parsed deployment/server options; defaults when absent. */
  options?: MockOptions;
  /** Instance name that `@target` in fault specs matches (deployment id, or the server's --name). */
  name?: string;
  /** Random source for fault draws; defaults to a PRNG seeded by options.seed, else Math.random. */
  random?: RandomSource;
}

export interface MockTiming {
  /** Wait before the first byte (headers and first chunk). */
  ttftMs: number;
  /** Wait between content chunks; 0 sends them back to back. */
  intervalMs: number;
}

export interface MockEngine {
  readonly name: string;
  options(): MockOptions;
  /** Replaces the options at runtime (the server's PUT /__mock/options). */
  setOptions(options: MockOptions): void;
  decideFault(input: { header: string | undefined; text: string; streaming: boolean }): MockFault;
  chat(request: ChatRequest, idStyle?: MockIdStyle): MockReply;
  /** The whole stream, unpaced: start, deltas (one per piece per choice), finishes, usage. */
  streamParts(reply: MockReply): StreamPart[];
  embed(request: EmbeddingRequest): EmbeddingResponse;
  timing(fault: MockFault): MockTiming;
}

/** Size of the argument slices a streamed tool call is cut into. */
const ARGUMENT_SLICE = 12;

export const DEFAULT_MOCK_OPTIONS: MockOptions = mockOptionsSchema.parse({});

function inputTokens(request: ChatRequest): number {
  let total = 0;
  for (const message of request.messages) {
    for (const part of message.content) if (part.type === 'text') total += countTokens(part.text);
    for (const call of message.toolCalls ?? []) total += countTokens(call.arguments);
  }
  return total;
}

function applyStops(text: string, stops: string[] | undefined): string {
  if (!stops) return text;
  let end = text.length;
  for (const stop of stops) {
    if (stop === '') continue;
    const index = text.indexOf(stop);
    if (index >= 0 && index < end) end = index;
  }
  return text.slice(0, end);
}

export function createMockEngine(engineOptions: MockEngineOptions = {}): MockEngine {
  let options = engineOptions.options ?? DEFAULT_MOCK_OPTIONS;
  const name = engineOptions.name ?? 'mock';
  const random = engineOptions.random ?? (options.seed !== undefined ? createSeededRandom(options.seed) : Math.random);
  const decide = createFaultDecider(name, random);
  let counter = 0;

  function chat(request: ChatRequest, idStyle: MockIdStyle = 'openai'): MockReply {
    counter += 1;
    const userText = lastUserText(request);
    const choices = Math.max(1, request.n ?? 1);
    const toolCalls = decideToolCalls(request, userText, idStyle === 'anthropic' ? 'toolu_' : 'call_');
    let pieces: string[] = [];
    let content: string | null = null;
    let finishReason: FinishReason = 'stop';
    let outputPerChoice = 0;
    if (toolCalls) {
      finishReason = 'tool_calls';
      for (const call of toolCalls) outputPerChoice += countTokens(call.arguments) + 1;
    } else {
      const text = applyStops(replyText(request, options, userText), request.stop);
      pieces = splitIntoTokenPieces(text);
      if (request.maxTokens !== undefined && pieces.length > request.maxTokens) {
        pieces = pieces.slice(0, request.maxTokens);
        finishReason = 'length';
        content = pieces.join('');
      } else {
        content = text;
      }
      outputPerChoice = pieces.length;
    }
    const response: ChatResponse = {
      id: idStyle === 'anthropic' ? `msg_mock${counter.toString(36)}` : `chatcmpl-mock${counter.toString(36)}`,
      model: request.model,
      created: Math.floor(Date.now() / 1000),
      choices: Array.from({ length: choices }, (_, index) => ({
        index,
        message: toolCalls ? { content: null, toolCalls: toolCalls.map((call) => ({ ...call })) } : { content },
        finishReason,
      })),
      systemFingerprint: 'fp_mock',
    };
    if (options.report_usage) {
      const usage: Usage = { inputTokens: inputTokens(request), outputTokens: outputPerChoice * choices };
      response.usage = usage;
    }
    return { response, pieces };
  }

  function streamParts(reply: MockReply): StreamPart[] {
    const { response, pieces } = reply;
    const parts: StreamPart[] = [{ type: 'start', id: response.id, model: response.model, created: response.created }];
    const first = response.choices[0];
    const toolCalls: ToolCall[] = first?.message.toolCalls ?? [];
    if (toolCalls.length > 0) {
      for (const choice of response.choices) {
        toolCalls.forEach((call, toolIndex) => {
          parts.push({ type: 'tool-call-delta', choice: choice.index, toolIndex, id: call.id, name: call.name, argumentsDelta: '' });
          for (let offset = 0; offset < call.arguments.length; offset += ARGUMENT_SLICE) {
            const argumentsDelta = call.arguments.slice(offset, offset + ARGUMENT_SLICE);
            parts.push({ type: 'tool-call-delta', choice: choice.index, toolIndex, argumentsDelta });
          }
        });
      }
    } else {
      // Interleave choices piece by piece, as OpenAI does with n > 1.
      for (const piece of pieces) {
        for (const choice of response.choices) parts.push({ type: 'text-delta', choice: choice.index, text: piece });
      }
    }
    for (const choice of response.choices) parts.push({ type: 'finish', choice: choice.index, finishReason: choice.finishReason });
    if (response.usage) parts.push({ type: 'usage', usage: response.usage });
    return parts;
  }

  function embed(request: EmbeddingRequest): EmbeddingResponse {
    const dimensions = request.dimensions ?? options.embedding_dimensions;
    let tokens = 0;
    const embeddings = request.input.map((text) => {
      tokens += countTokens(text);
      // Seeded by the text alone: equal inputs get equal vectors across runs and instances.
      const next = createSeededRandom(hashString(text));
      const vector = new Array<number>(dimensions);
      let norm = 0;
      for (let index = 0; index < dimensions; index += 1) {
        const value = next() * 2 - 1;
        vector[index] = value;
        norm += value * value;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let index = 0; index < dimensions; index += 1) vector[index] = (vector[index] as number) * scale;
      return vector;
    });
    return { model: request.model, embeddings, usage: { inputTokens: tokens } };
  }

  return {
    name,
    options: () => options,
    setOptions(next) {
      options = next;
    },
    decideFault: (input) => decide(input, options),
    chat,
    streamParts,
    embed,
    timing(fault) {
      const ttftMs = fault.kind === 'slow_ttft' ? fault.ttftMs : options.ttft_ms;
      const intervalMs = options.tokens_per_second > 0 ? 1000 / options.tokens_per_second : 0;
      return { ttftMs, intervalMs };
    },
  };
}
