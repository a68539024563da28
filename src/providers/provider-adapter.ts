import type { ProviderDeployment } from './deployment-schema.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../model/embedding.js';
import type { StreamPart } from '../model/stream-part.js';
import type { RelayPart } from '../model/relay-part.js';
import type { UpstreamStreamFormat } from '../wire/dialect.js';
import type { OutboundRequest } from '../model/outbound-request.js';
import type { HttpTransport } from './http-transport.js';

/** Per-call context: cancellation and the deployment's resolved credentials. */
export interface UpstreamCallContext {
  /** Aborted when the client disconnects or a gateway timeout fires. */
  signal: AbortSignal;
  /**
   * The policy-checked serialisation of `describeOutbound` for this very call (masked and
   * verified by the egress check). When set, the adapter sends exactly these bytes as the body;
   * the pipeline always sets it.
   */
  body?: string;
}

/** What `describeOutbound` is asked about: the operation and its canonical request. */
export type OutboundCall =
  | { operation: 'chat' | 'chat-stream'; request: ChatRequest }
  /** Only asked of adapters that implement `countTokens`: the body of that call. */
  | { operation: 'count-tokens'; request: ChatRequest }
  | { operation: 'embeddings'; request: EmbeddingRequest };

/**
 * The contract every provider adapter fulfils. Adapters translate canonical types to and from
 * one vendor's wire format; they never decide routing, retries or policy.
 *
 * Errors: an adapter throws `UpstreamError` (see errors/gateway-error.ts) with a code from the
 * catalogue — `upstream_rate_limited` (429, with retryAfterSeconds when the upstream said so),
 * `upstream_bad_request` (other 4xx, status passed through, message sanitised),
 * `upstream_auth_failed` (401/403: the gateway's credentials are wrong, not the client's),
 * `upstream_error` (≥ 500 or unparseable), `upstream_timeout`, `upstream_unavailable`
 * (connection refused/reset), `upstream_stream_interrupted` (stream broke after it started).
 * Messages never contain the upstream URL or credentials.
 */
export interface ProviderAdapter {
  readonly deploymentId: string;
  /**
   * The body this adapter would send for the call, without sending it, and how that body is
   * read (`WireLayout`). The data policy scans and masks exactly this, then hands the result back
   * as `UpstreamCallContext.body`. Pure: no I/O. Throws `unsupported_feature` like the call would.
   */
  describeOutbound(call: OutboundCall): OutboundRequest;
  chat(request: ChatRequest, context: UpstreamCallContext): Promise<ChatResponse>;
  /**
   * Resolves once the upstream accepted the stream (status 2xx), so failures before the first
   * byte surface here and can fail over; failures after that are thrown by the iterator.
   */
  chatStream(request: ChatRequest, context: UpstreamCallContext): Promise<AsyncIterable<StreamPart>>;
  /**
   * Optional: the same call, relayed. The upstream's SSE events come back as they were written
   * wherever the client's encoder would write the same (`RelayPart`), so a client of the dialect
   * named by `relayFormat` can get them without decode → encode (the pipeline decides per request,
   * see pipeline/relay-stream.ts). Same request body, same error contract as `chatStream`.
   */
  chatStreamRelay?(request: ChatRequest, context: UpstreamCallContext): Promise<AsyncIterable<RelayPart>>;
  /** The SSE format `chatStreamRelay` relays (an inbound dialect's id, e.g. 'openai-chat'). */
  readonly relayFormat?: UpstreamStreamFormat;
  embed(request: EmbeddingRequest, context: UpstreamCallContext): Promise<EmbeddingResponse>;
  /**
   * The upstream's own count of the input tokens `request` would be billed for, without
   * generating (Anthropic POST /v1/messages/count_tokens). Optional: without it the gateway
   * estimates with its tokenizer. The body is `describeOutbound({ operation: 'count-tokens' })`,
   * sealed by the data policy and passed as `context.body` like any other call.
   */
  countTokens?(request: ChatRequest, context: UpstreamCallContext): Promise<{ inputTokens: number }>;
  /** Active health check: GET `path` relative to the base URL; resolves when the upstream answers 2xx. */
  probe(path: string, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface AdapterFactoryOptions {
  deployment: ProviderDeployment;
  /** The deployment's api_key with its reference resolved; undefined when none is configured. */
  apiKey: string | undefined;
  transport: HttpTransport;
  /**
   * Resolves other secret references of the deployment (cloud identities' client secrets and
   * static keys), when a credential is fetched rather than at construction.
   */
  resolveSecret?: (reference: string) => string;
}

export type AdapterFactory = (options: AdapterFactoryOptions) => ProviderAdapter;
