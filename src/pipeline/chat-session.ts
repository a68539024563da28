import type { ChatRequest } from '../model/chat-request.js';
import type { Principal } from '../model/principal.js';
import type { StreamEncoder } from '../wire/dialect.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

/**
 * Server-side conversation state around one chat call, for the inbound APIs that keep some (the
 * Responses API's `previous_response_id` and stored responses). The journey calls it at three
 * points; everything in between — policy on what leaves, guard, routing, metering, audit — is
 * the same as for any chat call.
 */
export interface ChatSession {
  /** After authentication and decode: the request to run (e.g. the stored earlier turns prepended). */
  prepare(request: ChatRequest): Promise<ChatRequest>;
  /** After the policy decided and the answer is ready, just before encoding (e.g. whether it will be stored). */
  beforeEncode(): void;
  /** Once the whole answer is encoded, before meter → audit; a throw fails the call. */
  keep(answer: { body: unknown } | { stream: StreamEncoder }): Promise<void>;
}

/** Builds the session of one call from the dialect's per-request options. */
export type ChatSessionFactory = (runtime: GatewayRuntime, context: RequestContext, principal: Principal, options: unknown) => ChatSession;
