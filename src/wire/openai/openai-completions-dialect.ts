import type { ChatDialect } from '../dialect.js';
import { decodeCompletionsRequest } from './decode-completions-request.js';
import { createCompletionsStreamEncoder, encodeCompletionsResponse } from './encode-completions-response.js';
import { encodeOpenAIError } from './encode-openai-client-response.js';

export interface OpenAICompletionsOptions {
  /** `stream_options.include_usage`: send the trailing usage chunk. */
  includeUsage: boolean;
}

/** POST /v1/completions (legacy), served by any chat deployment. */
export const openAICompletionsDialect: ChatDialect<OpenAICompletionsOptions> = {
  id: 'openai-completions',
  kind: 'chat',
  decode(body) {
    const { request, clientWantsUsage } = decodeCompletionsRequest(body);
    return { request, options: { includeUsage: clientWantsUsage } };
  },
  encodeResponse: (response) => encodeCompletionsResponse(response),
  encodeStream: (options) => createCompletionsStreamEncoder(options),
  encodeError: (error) => encodeOpenAIError(error),
};
