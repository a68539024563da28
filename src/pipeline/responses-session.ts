import type { CanonicalMessage } from '../model/chat-message.js';
import { loadEarlierTurns, saveResponse, storeDisabled, type ResponseChain } from '../responses/response-chain.js';
import { createSqlResponseStore } from '../responses/sql-response-store.js';
import type { StreamEncoder } from '../wire/dialect.js';
import { assembleResponsesChat, outputItemsToMessages } from '../wire/openai-responses/decode-responses-request.js';
import type { OpenAIResponsesOptions } from '../wire/openai-responses/openai-responses-dialect.js';
import type { ResponsesStreamResult } from '../wire/openai-responses/create-responses-stream-encoder.js';
import type { ChatSessionFactory } from './chat-session.js';
import type { GatewayRuntime } from './gateway-runtime.js';

/** The response store of this runtime, or none when `responses.store.enabled` is false. */
export function responseChainOf(runtime: GatewayRuntime): ResponseChain {
  const settings = runtime.loaded.config.responses.store;
  return {
    store: settings.enabled ? createSqlResponseStore(runtime.services.storage.executor) : undefined,
    retentionHours: settings.retention_hours,
    now: () => Date.now(),
  };
}

function settled(encoder: StreamEncoder): ResponsesStreamResult {
  const complete = (encoder as StreamEncoder & { complete?: () => ResponsesStreamResult }).complete;
  if (!complete) throw new Error('the Responses session needs the Responses stream encoder');
  return complete();
}

/**
 * The Responses API's conversation state (docs/responses-api.md#what-is-stored): a
 * `previous_response_id` loads the caller's own stored turns before the policy runs (so it
 * decides on the whole conversation, exactly what leaves); the answer is stored — its text only
 * where the audit may keep the full text for the request's data class — before meter → audit.
 */
export const responsesSession: ChatSessionFactory = (runtime, context, principal, options) => {
  const { decoded, head } = options as OpenAIResponsesOptions;
  const chain = responseChainOf(runtime);
  let earlier: CanonicalMessage[] = [];
  const storing = decoded.store && chain.store !== undefined;
  // With no audit there is no capture mode that allows keeping text.
  const mode = () => runtime.services.audit?.captureModeFor(context.policy?.dataClass) ?? 'none';
  const save = (response: Record<string, unknown>, output: readonly Record<string, unknown>[]) =>
    saveResponse(chain, {
      id: head.id,
      principalId: principal.id,
      dataClass: context.policy?.dataClass ?? 'unknown',
      mode: mode(),
      conversation: [...earlier, ...decoded.turn, ...outputItemsToMessages(output)],
      response,
    });
  return {
    async prepare(request) {
      const previous = decoded.previousResponseId;
      if (previous === null) return request;
      if (!chain.store) throw storeDisabled('previous_response_id');
      earlier = await loadEarlierTurns(chain, previous, principal.id);
      return assembleResponsesChat(decoded, earlier);
    },
    beforeEncode() {
      head.store = storing && mode() === 'full';
    },
    async keep(answer) {
      if (!storing) return;
      if ('body' in answer) {
        const body = answer.body as Record<string, unknown>;
        await save(body, body.output as Record<string, unknown>[]);
        return;
      }
      const { response, output } = settled(answer.stream);
      await save(response, output);
    },
  };
};
