/**
 * Bedrock Converse response → canonical. Converse echoes neither an id nor the model: the
 * adapter passes the request id (`x-amzn-requestid`) and the model it called.
 */
import type { ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { ToolCall } from '../../model/chat-message.js';
import type { Usage } from '../../model/usage.js';
import { isRecord, WireProtocolError } from '../wire-protocol-error.js';

export function decodeConverseResponse(body: unknown, meta: { id: string; model: string }): ChatResponse {
  if (!isRecord(body)) throw new WireProtocolError('The upstream response is not an object.');
  const message = isRecord(body.output) && isRecord(body.output.message) ? body.output.message : undefined;
  if (message === undefined || !Array.isArray(message.content)) throw new WireProtocolError('The upstream response has no output message.');
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content) {
    if (!isRecord(block)) continue;
    if (typeof block.text === 'string') text += block.text;
    if (isRecord(block.toolUse)) {
      const use = block.toolUse;
      toolCalls.push({ id: String(use.toolUseId ?? ''), name: String(use.name ?? ''), arguments: JSON.stringify(use.input ?? {}) });
    }
  }
  const usage = decodeConverseUsage(body.usage);
  return {
    id: meta.id,
    model: meta.model,
    created: Math.floor(Date.now() / 1000),
    choices: [
      {
        index: 0,
        message: { content: text === '' && toolCalls.length > 0 ? null : text, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
        finishReason: decodeConverseStopReason(body.stopReason, toolCalls.length > 0),
      },
    ],
    ...(usage !== undefined ? { usage } : {}),
  };
}

export function decodeConverseStopReason(reason: unknown, hasToolCalls: boolean): FinishReason {
  if (reason === 'tool_use') return 'tool_calls';
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  if (reason === 'guardrail_intervened' || reason === 'content_filtered') return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** Cache reads and writes are billed as input, as with Anthropic; reads are reported as cached. */
export function decodeConverseUsage(usage: unknown): Usage | undefined {
  if (!isRecord(usage)) return undefined;
  const number = (value: unknown) => (typeof value === 'number' ? value : 0);
  const cacheRead = number(usage.cacheReadInputTokens);
  return {
    inputTokens: number(usage.inputTokens) + cacheRead + number(usage.cacheWriteInputTokens),
    outputTokens: number(usage.outputTokens),
    ...(cacheRead > 0 ? { cachedInputTokens: cacheRead } : {}),
  };
}
