import type { GatewayError } from '../../errors/gateway-error.js';
import type { ChatResponse, FinishReason } from '../../model/chat-response.js';
import type { StreamPart } from '../../model/stream-part.js';
import type { Usage } from '../../model/usage.js';
import { encodeOpenAIError, encodeOpenAIUsage } from './encode-openai-client-response.js';

/**
 * Canonical responses → legacy `text_completion` objects. Streamed and whole responses share
 * one shape, as on OpenAI; intermediate chunks carry `finish_reason: null` as OpenAI sends
 * them (the published schema lists only the final values).
 */

/** A completion cannot end in a tool call (no tools are sent); the text simply stopped. */
function completionFinish(reason: FinishReason): 'stop' | 'length' | 'content_filter' {
  return reason === 'tool_calls' ? 'stop' : reason;
}

/** `cmpl-` ids, as the legacy API names them, derived from the upstream's id. */
export function completionId(upstreamId: string): string {
  return upstreamId.startsWith('cmpl-') ? upstreamId : `cmpl-${upstreamId.replace(/^(chatcmpl-|msg_|resp_)/, '')}`;
}

export function encodeCompletionsResponse(response: ChatResponse): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: completionId(response.id),
    object: 'text_completion',
    created: response.created,
    model: response.model,
    choices: response.choices.map((choice) => ({
      text: choice.message.content ?? choice.message.refusal ?? '',
      index: choice.index,
      logprobs: null,
      finish_reason: completionFinish(choice.finishReason),
    })),
  };
  if (response.usage) body.usage = encodeOpenAIUsage(response.usage);
  if (response.systemFingerprint) body.system_fingerprint = response.systemFingerprint;
  return body;
}

/** One encoder per stream: `data:` chunks, the usage chunk when asked for, then `[DONE]`. */
export function createCompletionsStreamEncoder(options: { includeUsage: boolean }) {
  let head = { id: '', created: 0, model: '' };
  let usage: Usage | undefined;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id: head.id, object: 'text_completion', created: head.created, model: head.model, choices, ...extra })}\n\n`;
  return {
    encode(part: StreamPart): string {
      switch (part.type) {
        case 'start':
          head = { id: completionId(part.id), created: part.created, model: part.model };
          return '';
        case 'text-delta':
          return chunk([{ text: part.text, index: part.choice, logprobs: null, finish_reason: null }]);
        case 'tool-call-delta':
        // Completions has no reasoning output; a request here never enables thinking.
        case 'thinking-delta':
        case 'thinking-signature':
        case 'redacted-thinking':
          return '';
        case 'finish':
          return chunk([{ text: '', index: part.choice, logprobs: null, finish_reason: completionFinish(part.finishReason) }]);
        case 'usage':
          usage = part.usage;
          return '';
      }
    },
    end(): string {
      return `${options.includeUsage && usage ? chunk([], { usage: encodeOpenAIUsage(usage) }) : ''}data: [DONE]\n\n`;
    },
    error(error: GatewayError): string {
      return `data: ${JSON.stringify(encodeOpenAIError(error))}\n\n`;
    },
  };
}
