import { createRequire } from 'node:module';
import type { CanonicalMessage, ContentPart } from '../model/chat-message.js';
import type { ChatRequest, ToolDefinition } from '../model/chat-request.js';
import type { StreamPart } from '../model/stream-part.js';
import type { Usage } from '../model/usage.js';

/**
 * Token counts for metering. The provider's own usage is the truth; when it reports none
 * (some self-hosted servers, streams cut short) the gateway estimates with the o200k
 * tokenizer and marks the usage `estimated`, so reports can show how much is a guess.
 */

/** Per-message framing tokens in OpenAI's chat format (role markers and separators). */
const MESSAGE_OVERHEAD = 4;
const REPLY_PRIMING = 3;
/** A fixed charge per image: counting pixels would need the image; this is the low-detail cost. */
const IMAGE_TOKENS = 85;
/**
 * A PDF or a document by URL cannot be counted without reading the file: Anthropic quotes
 * 1,500–3,000 tokens a page; this charges one middling page, and says so by marking the count estimated.
 */
const DOCUMENT_TOKENS = 2_000;

type CountTokens = (text: string) => number;
let countTokens: CountTokens | undefined;

/**
 * The tokenizer's rank tables take about 70 MB once loaded; most deployments report usage and
 * never need them, so they are loaded on the first estimate instead of at startup.
 */
function tokenizer(): CountTokens {
  countTokens ??= (createRequire(import.meta.url)('gpt-tokenizer') as { countTokens: CountTokens }).countTokens;
  return countTokens;
}

export function estimateTextTokens(text: string): number {
  return text === '' ? 0 : tokenizer()(text);
}

function estimatePartTokens(part: ContentPart): number {
  switch (part.type) {
    case 'text':
      return estimateTextTokens(part.text);
    case 'image':
      return IMAGE_TOKENS;
    case 'thinking':
      return estimateTextTokens(part.text);
    case 'redacted-thinking':
      return 0;
    case 'document':
      return estimateTextTokens(part.title ?? '') + estimateTextTokens(part.context ?? '') + (part.source.kind === 'text' ? estimateTextTokens(part.source.data) : DOCUMENT_TOKENS);
  }
}

/** Tool definitions as the model sees them: name, description and the JSON schema text. */
export function estimateToolTokens(tools: readonly ToolDefinition[]): number {
  let total = 0;
  for (const tool of tools) total += MESSAGE_OVERHEAD + estimateTextTokens(tool.name) + estimateTextTokens(tool.description ?? '') + estimateTextTokens(JSON.stringify(tool.parameters));
  return total;
}

export function estimateChatInputTokens(messages: readonly CanonicalMessage[]): number {
  let total = REPLY_PRIMING;
  for (const message of messages) {
    total += MESSAGE_OVERHEAD;
    for (const part of message.content) total += estimatePartTokens(part);
    for (const call of message.toolCalls ?? []) total += estimateTextTokens(call.name) + estimateTextTokens(call.arguments);
  }
  return total;
}

/** The provider's usage when present, else an estimate marked as such. */
export function resolveUsage(reported: Usage | undefined, estimate: () => { inputTokens: number; outputTokens: number }): Usage {
  if (reported) return reported;
  return { ...estimate(), estimated: true };
}

/**
 * Follows a stream: the final `usage` part wins; otherwise the output is counted from the
 * deltas seen, so a stream without usage (or one cut short) is still metered.
 */
export function createStreamMeter(inputTokens: () => number): {
  observe(part: StreamPart): void;
  usage(): Usage;
} {
  let reported: Usage | undefined;
  let output = '';
  return {
    observe(part) {
      if (part.type === 'usage') reported = part.usage;
      else if (part.type === 'text-delta' || part.type === 'thinking-delta') output += part.text;
      else if (part.type === 'tool-call-delta') output += (part.name ?? '') + part.argumentsDelta;
    },
    usage: () => resolveUsage(reported, () => ({ inputTokens: inputTokens(), outputTokens: estimateTextTokens(output) })),
  };
}

/**
 * A cheap estimate for admission (rate limits) before the real usage is known: about three
 * characters a token, no tokenizer. Rate limits settle to the real count afterwards, so speed
 * matters more here than precision; budgets use the byte bounds in request-bounds.ts instead.
 */
export function quickTextTokens(characters: number): number {
  return Math.ceil(characters / 3);
}

/** The admission estimate of a chat request: its text plus the output it may ask for (1,024 when uncapped). */
export function quickChatTokens(request: Pick<ChatRequest, 'messages' | 'maxTokens'>): number {
  let characters = 0;
  for (const message of request.messages) for (const part of message.content) if (part.type === 'text') characters += part.text.length;
  return quickTextTokens(characters) + (request.maxTokens ?? 1024);
}

/** The admission estimate of an embeddings request. */
export function quickEmbeddingTokens(inputs: readonly string[]): number {
  return quickTextTokens(inputs.reduce((sum, text) => sum + text.length, 0));
}
