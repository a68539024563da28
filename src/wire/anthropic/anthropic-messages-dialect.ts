import type { ChatDialect } from '../dialect.js';
import { decodeAnthropicClientRequest } from './decode-anthropic-client-request.js';
import { createAnthropicStreamEncoder, encodeAnthropicError, encodeAnthropicResponse } from './encode-anthropic-client-response.js';

/** POST /v1/messages, as the official `@anthropic-ai/sdk` speaks it. */
export const anthropicMessagesDialect: ChatDialect = {
  id: 'anthropic-messages',
  kind: 'chat',
  decode: (body) => ({ request: decodeAnthropicClientRequest(body), options: undefined }),
  encodeResponse: (response) => encodeAnthropicResponse(response),
  encodeStream: () => createAnthropicStreamEncoder(),
  encodeError: (error) => encodeAnthropicError(error),
};
