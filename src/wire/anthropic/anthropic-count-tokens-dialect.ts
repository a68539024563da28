import type { CountTokensDialect } from '../dialect.js';
import { decodeAnthropicCountTokensRequest } from './decode-anthropic-client-request.js';
import { encodeAnthropicError } from './encode-anthropic-client-response.js';

/** POST /v1/messages/count_tokens, as `@anthropic-ai/sdk` `messages.countTokens` speaks it: `{ "input_tokens": N }`. */
export const anthropicCountTokensDialect: CountTokensDialect = {
  id: 'anthropic-count-tokens',
  kind: 'count-tokens',
  decode: (body) => ({ request: decodeAnthropicCountTokensRequest(body), options: undefined }),
  encodeResponse: (count) => ({ input_tokens: count.inputTokens }),
  encodeError: (error) => encodeAnthropicError(error),
};
