import type { AnyDialect } from '../wire/dialect.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { CallReply, InboundCall } from './inbound-call.js';
import { runChat } from './run-chat.js';
import { runCountTokens } from './run-count-tokens.js';
import { runEmbeddings } from './run-embeddings.js';
import type { ChatSessionFactory } from './chat-session.js';

/**
 * Runs an inbound API call through the journey for its kind. Resolves with the reply to send,
 * or undefined when the answer was streamed (already written through `call.openStream`).
 */
export function runCall(runtime: GatewayRuntime, call: InboundCall, dialect: AnyDialect, session?: ChatSessionFactory): Promise<CallReply | undefined> {
  switch (dialect.kind) {
    case 'chat':
      return runChat(runtime, call, dialect, session);
    case 'embeddings':
      return runEmbeddings(runtime, call, dialect);
    case 'count-tokens':
      return runCountTokens(runtime, call, dialect);
  }
}
