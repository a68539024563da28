import type { AnyDialect } from '../wire/dialect.js';
import { anthropicCountTokensDialect } from '../wire/anthropic/anthropic-count-tokens-dialect.js';
import { anthropicMessagesDialect } from '../wire/anthropic/anthropic-messages-dialect.js';
import { openAIChatDialect } from '../wire/openai/openai-chat-dialect.js';
import { openAIEmbeddingsDialect } from '../wire/openai/openai-embeddings-dialect.js';
import { openAICompletionsDialect } from '../wire/openai/openai-completions-dialect.js';
import { openAIResponsesDialect } from '../wire/openai-responses/openai-responses-dialect.js';
import type { ChatSessionFactory } from '../pipeline/chat-session.js';
import { responsesSession } from '../pipeline/responses-session.js';

/** One inbound API: where it listens and which dialect it speaks; the pipeline does the rest. */
export interface ApiRoute {
  method: 'POST';
  url: string;
  dialect: AnyDialect;
  /** Server-side conversation state around the call (the Responses API's stored responses). */
  session?: ChatSessionFactory;
}

/** Every model API the gateway serves. A new inbound API is a dialect plus one row here. */
export const API_ROUTES: readonly ApiRoute[] = [
  { method: 'POST', url: '/v1/chat/completions', dialect: openAIChatDialect },
  { method: 'POST', url: '/v1/embeddings', dialect: openAIEmbeddingsDialect },
  { method: 'POST', url: '/v1/responses', dialect: openAIResponsesDialect, session: responsesSession },
  { method: 'POST', url: '/v1/completions', dialect: openAICompletionsDialect },
  { method: 'POST', url: '/v1/messages', dialect: anthropicMessagesDialect },
  { method: 'POST', url: '/v1/messages/count_tokens', dialect: anthropicCountTokensDialect },
];

/** The dialect whose errors a path should get (an unknown path under /v1/messages answers like Anthropic). */
export function dialectForPath(path: string): AnyDialect {
  return API_ROUTES.find((route) => path === route.url || path.startsWith(`${route.url}/`))?.dialect ?? openAIChatDialect;
}
