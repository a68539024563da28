import type { ContentPart } from '../model/chat-message.js';
import type { ChatRequest } from '../model/chat-request.js';

/**
 * Upper bounds on what a request can make an upstream bill, without a tokenizer. Every BPE or
 * SentencePiece token is at least one byte of UTF-8, so the byte count bounds the token count of
 * any text under any vendor's tokenizer (an attacker cannot pick text that tokenizes worse).
 * What cannot be counted from bytes gets a generous fixed allowance.
 */

/** gpt-4o-mini bills a high-detail image at up to ~37k tokens; nobody bills more per image. */
export const IMAGE_TOKEN_BOUND = 40_000;
/**
 * A PDF or a document by URL: pages are billed as text plus an image each, and neither can be
 * counted without the file. Anthropic caps a document at 100 pages and a request at the model's
 * context window; 200k tokens covers every model but the 1M-context ones.
 */
export const DOCUMENT_TOKEN_BOUND = 200_000;
/** Role markers and separators per message. */
export const MESSAGE_TOKEN_BOUND = 16;
/** Prompts the vendor adds (tool-use system prompts, reply priming). */
export const REQUEST_TOKEN_BOUND = 2_048;

const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

/** The most input tokens this chat request can be billed for. */
export function chatInputTokenBound(request: ChatRequest): number {
  let total = REQUEST_TOKEN_BOUND;
  for (const message of request.messages) {
    total += MESSAGE_TOKEN_BOUND + bytes(message.name);
    for (const part of message.content) total += partBound(part);
    for (const call of message.toolCalls ?? []) total += MESSAGE_TOKEN_BOUND + bytes(call.name) + bytes(call.arguments);
  }
  // Tool schemas and a JSON schema are sent as text too; the decoder bounded their depth.
  for (const tool of request.tools ?? []) total += MESSAGE_TOKEN_BOUND + bytes(tool.name) + bytes(tool.description) + bytes(JSON.stringify(tool.parameters));
  if (request.responseFormat?.type === 'json_schema') total += bytes(JSON.stringify(request.responseFormat.schema));
  for (const stop of request.stop ?? []) total += bytes(stop);
  return total;
}

function partBound(part: ContentPart): number {
  switch (part.type) {
    case 'text':
      return bytes(part.text);
    case 'image':
      return IMAGE_TOKEN_BOUND + bytes(part.url);
    case 'thinking':
      return bytes(part.text) + bytes(part.signature);
    case 'redacted-thinking':
      return bytes(part.data);
    case 'document': {
      const framing = MESSAGE_TOKEN_BOUND + bytes(part.title) + bytes(part.context);
      return framing + (part.source.kind === 'text' ? bytes(part.source.data) : DOCUMENT_TOKEN_BOUND);
    }
  }
}

/** The most input tokens an embeddings request can be billed for. */
export function embeddingInputTokenBound(inputs: readonly string[]): number {
  return inputs.reduce((sum, text) => sum + bytes(text) + MESSAGE_TOKEN_BOUND, 0);
}

/** How many completions one request asks for: OpenAI `n` (Gemini `candidateCount` is mapped from it). */
export function choicesOf(request: Pick<ChatRequest, 'n'>): number {
  const n = request.n ?? 1;
  return Number.isInteger(n) && n > 0 ? n : 1;
}
