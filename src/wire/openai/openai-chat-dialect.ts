import type { ChatDialect } from '../dialect.js';
import { decodeOpenAIClientChatRequest } from './decode-openai-client-request.js';
import { createOpenAIStreamEncoder, encodeOpenAIChatResponse, encodeOpenAIError } from './encode-openai-client-response.js';
import { templateRequestFrom } from './template-request.js';

/** What an OpenAI chat client asked to see beyond the canonical request. */
export interface OpenAIChatOptions {
  /** `stream_options.include_usage`: send the trailing usage chunk. */
  includeUsage: boolean;
}

/** POST /v1/chat/completions, as the official `openai` SDKs speak it. */
export const openAIChatDialect: ChatDialect<OpenAIChatOptions> = {
  id: 'openai-chat',
  kind: 'chat',
  decode(body) {
    const { request, clientWantsUsage } = decodeOpenAIClientChatRequest(body);
    // `metadata.template` names a prompt template the serving release renders.
    const template = templateRequestFrom(body);
    return { request: template ? { ...request, template } : request, options: { includeUsage: clientWantsUsage } };
  },
  encodeResponse: (response) => encodeOpenAIChatResponse(response),
  encodeStream: (options) => createOpenAIStreamEncoder({ includeUsage: options.includeUsage }),
  encodeError: (error) => encodeOpenAIError(error),
};
