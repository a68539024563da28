/**
 * Gemini generateContent / batchEmbedContents responses → canonical. Gemini has no tool-call
 * ids on its public API (function results are matched by name), so ids are minted here when
 * the upstream sent none: canonical clients need one to answer the call.
 */
import { randomBytes } from 'node:crypto';
import type { ChatChoice, ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { EmbeddingResponse } from '../../model/embedding.js';
import type { ToolCall } from '../../model/chat-message.js';
import type { Usage } from '../../model/usage.js';
import { isRecord, WireProtocolError } from '../wire-protocol-error.js';

export function decodeGeminiResponse(body: unknown): ChatResponse {
  if (!isRecord(body)) throw new WireProtocolError('The upstream response is not an object.');
  const candidates = Array.isArray(body.candidates) ? body.candidates : [];
  const choices: ChatChoice[] = candidates.map((candidate, position) => {
    const { text, toolCalls } = decodeParts(candidate);
    return {
      index: isRecord(candidate) && typeof candidate.index === 'number' ? candidate.index : position,
      message: { content: text === '' && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
      finishReason: decodeGeminiFinishReason(isRecord(candidate) ? candidate.finishReason : undefined, toolCalls.length > 0),
    };
  });
  // A prompt blocked by safety filters comes back with promptFeedback and no candidates.
  if (choices.length === 0) {
    if (!isRecord(body.promptFeedback)) throw new WireProtocolError('The upstream response has no candidates.');
    choices.push({ index: 0, message: { content: null }, finishReason: 'content_filter' });
  }
  const usage = decodeGeminiUsage(body.usageMetadata);
  return {
    id: typeof body.responseId === 'string' ? body.responseId : '',
    model: typeof body.modelVersion === 'string' ? body.modelVersion : '',
    created: Math.floor(Date.now() / 1000),
    choices,
    ...(usage !== undefined ? { usage } : {}),
  };
}

/** Text (thought summaries excluded) and function calls of one candidate. */
export function decodeParts(candidate: unknown): { text: string; toolCalls: ToolCall[] } {
  const content = isRecord(candidate) && isRecord(candidate.content) ? candidate.content : {};
  const parts = Array.isArray(content.parts) ? content.parts : [];
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true) text += part.text;
    if (isRecord(part.functionCall)) {
      const call = part.functionCall;
      toolCalls.push({
        id: typeof call.id === 'string' && call.id !== '' ? call.id : mintToolCallId(),
        name: String(call.name ?? ''),
        arguments: JSON.stringify(call.args ?? {}),
      });
    }
  }
  return { text, toolCalls };
}

export function mintToolCallId(): string {
  return `call_${randomBytes(12).toString('hex')}`;
}

export function decodeGeminiFinishReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content_filter';
    default:
      // Gemini reports STOP after a function call; the call is why the turn ended.
      return hasToolCalls ? 'tool_calls' : 'stop';
  }
}

/** Thinking tokens are billed as output; tool-use prompt tokens as input. */
export function decodeGeminiUsage(metadata: unknown): Usage | undefined {
  if (!isRecord(metadata) || typeof metadata.promptTokenCount !== 'number') return undefined;
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  return {
    inputTokens: metadata.promptTokenCount + number(metadata.toolUsePromptTokenCount),
    outputTokens: number(metadata.candidatesTokenCount) + number(metadata.thoughtsTokenCount),
    ...(typeof metadata.cachedContentTokenCount === 'number' ? { cachedInputTokens: metadata.cachedContentTokenCount } : {}),
  };
}

/**
 * batchEmbedContents reports no token usage. Zero is reported rather than a guess; metering
 * can estimate with the gateway's tokenizer when it matters.
 */
export function decodeGeminiEmbeddingResponse(body: unknown, model: string): EmbeddingResponse {
  if (!isRecord(body) || !Array.isArray(body.embeddings)) {
    throw new WireProtocolError('The upstream embedding response has no embeddings array.');
  }
  const embeddings = body.embeddings.map((entry) => {
    if (!isRecord(entry) || !Array.isArray(entry.values)) throw new WireProtocolError('An upstream embedding has no values.');
    return entry.values as number[];
  });
  return { model, embeddings, usage: { inputTokens: 0 } };
}
