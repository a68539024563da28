import type { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../model/embedding.js';
import type { InboundApi } from '../model/inbound-api.js';
import type { StreamPart } from '../model/stream-part.js';
import type { TokenCount } from '../model/token-count.js';

/**
 * A dialect is one inbound API as the client speaks it (OpenAI chat completions, OpenAI
 * embeddings, Anthropic messages, …): how its request body becomes a canonical request and how
 * canonical results and errors become the bodies its SDKs read. Dialects are pure: no I/O, no
 * config, no knowledge of targets. The pipeline runs one journey per `kind` and calls the
 * dialect at both ends; http only maps a route to a dialect (see http/api-routes.ts).
 *
 * Adding an inbound API = one dialect file (plus its codecs) and one row in the route table.
 */
export interface Dialect<Request, Response, Options = undefined> {
  /** Stable name, recorded as the audit record's `inbound` and used as a metrics label. */
  readonly id: InboundApi;
  /**
   * The request body (already parsed JSON) → canonical request plus whatever the encoders need
   * to remember about this request (e.g. `stream_options.include_usage`). Throws a 400
   * `GatewayError` naming the bad field.
   */
  decode(body: unknown): Decoded<Request, Options>;
  /** A canonical result → the JSON body the client's SDK expects. */
  encodeResponse(response: Response, options: Options): unknown;
  /** Any refusal or failure → this API's error body (`{"error":{…}}` for OpenAI, `{"type":"error",…}` for Anthropic). */
  encodeError(error: GatewayError): unknown;
}

/** What `decode` returns. */
export interface Decoded<Request, Options> {
  request: Request;
  /** Per-request choices the encoders need (dialect-private; the pipeline passes them back untouched). */
  options: Options;
}

/** A dialect for chat-shaped calls: it can also encode a stream. */
export interface ChatDialect<Options = undefined> extends Dialect<ChatRequest, ChatResponse, Options> {
  readonly kind: 'chat';
  /** A fresh, stateful stream encoder for one response. */
  encodeStream(options: Options): StreamEncoder;
}

/** A dialect for embedding calls (never streamed). */
export interface EmbeddingsDialect<Options = undefined> extends Dialect<EmbeddingRequest, EmbeddingResponse, Options> {
  readonly kind: 'embeddings';
}

/** A dialect for counting a chat call's input tokens instead of answering it (never streamed). */
export interface CountTokensDialect<Options = undefined> extends Dialect<ChatRequest, TokenCount, Options> {
  readonly kind: 'count-tokens';
}

/**
 * Every dialect the gateway serves, told apart by `kind` (which pipeline journey runs it). Options
 * are opaque to everyone but the dialect itself, hence `unknown`.
 */
export type AnyDialect = ChatDialect<unknown> | EmbeddingsDialect<unknown> | CountTokensDialect<unknown>;

/**
 * Canonical stream parts → server-sent-event text, for one response. Each call returns the SSE
 * text to write ('' when a part has no wire form of its own).
 */
export interface StreamEncoder {
  encode(part: StreamPart): string;
  /** The clean end (OpenAI's usage chunk and `[DONE]`, Anthropic's `message_stop`). */
  end(): string;
  /** A stream that broke after it started ends with an explicit error event, never a clean end. */
  error(error: GatewayError): string;
  /**
   * Optional pass-through hook: may raw upstream SSE bytes in `upstream` format be relayed to this
   * client unchanged, instead of decode → canonical parts → encode? A dialect says yes only when
   * its own encoding of those parts would be byte-equivalent for what the client reads (same
   * dialect, nothing per-request it would rewrite). The gateway still has to see every part
   * (metering, output guard, placeholder restore), so a relay decides per request whether it may
   * use this; absent or `false` means always re-encode.
   */
  canPassThrough?(upstream: UpstreamStreamFormat): boolean;
}

/** Names the SSE format of an upstream stream, as the adapter reports it (e.g. 'openai-chat', 'anthropic-messages'). */
export type UpstreamStreamFormat = InboundApi | (string & {});
