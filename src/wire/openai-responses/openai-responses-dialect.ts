import { randomBytes } from 'node:crypto';
import type { ChatDialect } from '../dialect.js';
import { encodeOpenAIError } from '../openai/encode-openai-client-response.js';
import { createResponsesStreamEncoder } from './create-responses-stream-encoder.js';
import { assembleResponsesChat, decodeResponsesRequest, type DecodedResponsesRequest } from './decode-responses-request.js';
import { encodeResponsesResponse, type ResponsesHead } from './encode-responses-response.js';

/** What the Responses encoders need about one call, beyond the canonical request. */
export interface OpenAIResponsesOptions {
  decoded: DecodedResponsesRequest;
  /**
   * Id, creation time and echoed settings of the response object. `store` starts false; the
   * caller sets it once it knows the response will be kept (storage on, policy allows).
   */
  head: ResponsesHead;
}

export interface ResponsesDialectClock {
  /** e.g. `resp_…`, `msg_…`, `fc_…` ids; injected so tests are deterministic. */
  newId: (prefix: string) => string;
  /** Unix seconds. */
  now: () => number;
}

/**
 * POST /v1/responses, as the official `openai` SDKs speak it. With `previous_response_id` the
 * canonical request decoded here holds only this call's instructions and input: the caller
 * loads the earlier turns and re-assembles (assembleResponsesChat) before the pipeline runs.
 */
export interface OpenAIResponsesDialect extends ChatDialect<OpenAIResponsesOptions> {
  /** Its stream encoder can settle the final response before writing it (for storage). */
  encodeStream(options: OpenAIResponsesOptions): ReturnType<typeof createResponsesStreamEncoder>;
}

export function createOpenAIResponsesDialect(clock: ResponsesDialectClock): OpenAIResponsesDialect {
  return {
    id: 'openai-responses',
    kind: 'chat',
    decode(body) {
      const decoded = decodeResponsesRequest(body);
      const request = decoded.previousResponseId === null ? assembleResponsesChat(decoded, []) : { ...decoded.base, messages: [] };
      const head: ResponsesHead = { id: clock.newId('resp'), createdAt: clock.now(), model: decoded.base.model, echo: decoded.echo, store: false };
      return { request, options: { decoded, head } };
    },
    encodeResponse: (response, options) => encodeResponsesResponse({ ...options.head, model: response.model }, response, clock.newId, clock.now()),
    encodeStream: (options) => createResponsesStreamEncoder({ head: options.head, newId: clock.newId, now: clock.now }),
    encodeError: (error) => encodeOpenAIError(error),
  };
}

/** Ids like OpenAI's: a prefix and 48 hex characters (192 random bits, unguessable). */
const randomId = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`;

/** The dialect the gateway serves, with random ids and the wall clock. */
export const openAIResponsesDialect = createOpenAIResponsesDialect({ newId: randomId, now: () => Math.floor(Date.now() / 1000) });
