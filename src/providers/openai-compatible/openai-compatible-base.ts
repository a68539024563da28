/**
 * The shared body of every adapter that speaks OpenAI Chat Completions. Vendors differ only
 * in where requests go and how they authenticate (an `OpenAIDialect`); OpenAI, vLLM, Ollama,
 * TGI, llama.cpp and LM Studio use the default dialect, Azure OpenAI its own.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import { parseSse } from '../../wire/sse/parse-sse.js';
import { encodeOpenAIChatRequest, encodeOpenAIEmbeddingRequest, type EncodeOpenAIOptions } from '../../wire/openai/encode-openai-request.js';
import { decodeOpenAIChatResponse, decodeOpenAIEmbeddingResponse } from '../../wire/openai/decode-openai-response.js';
import { decodeOpenAIStream } from '../../wire/openai/decode-openai-stream.js';
import { relayOpenAIStream } from '../../wire/openai/relay-openai-stream.js';
import type { AdapterFactoryOptions, ProviderAdapter, UpstreamCallContext } from '../provider-adapter.js';
import { guardUpstreamStream, sendUpstream, sendUpstreamJson, probeUpstream, streamInterruption } from '../upstream-call.js';
import { resolveUpstreamModel, upstreamHeaders } from '../upstream-headers.js';
import { openAIChatLayout, openAIEmbeddingLayout } from '../../wire/openai/openai-request-layout.js';
import type { OutboundRequest, WireLayout } from '../../model/outbound-request.js';
import { withTokenReset, type BearerToken } from '../cloud-credentials/bearer-token.js';

export interface OpenAIDialect {
  /** Request path (and query) for an operation on a model, relative to the base URL. */
  path(operation: 'chat/completions' | 'embeddings', upstreamModel: string): string;
  /** Credential headers for the resolved API key (none when no key is configured). */
  authHeaders(apiKey: string | undefined): Record<string, string>;
  maxTokensField: EncodeOpenAIOptions['maxTokensField'];
  /** Whether the deployment serves embeddings at all. */
  embeddings: boolean;
  /** A cloud identity's bearer token (Azure Entra ID), sent instead of `authHeaders`. */
  bearer?: BearerToken;
}

export function createOpenAIStyleAdapter(options: AdapterFactoryOptions, dialect: OpenAIDialect): ProviderAdapter {
  const { deployment, apiKey, transport } = options;
  const { bearer } = dialect;
  const errorContext = { deploymentId: deployment.id, secrets: bearer === undefined ? [apiKey] : bearer.secrets };
  const auth = async () => (bearer === undefined ? dialect.authHeaders(apiKey) : bearer.headers());
  // A refused bearer token is dropped so the next call fetches a fresh one.
  const call = <T>(run: () => Promise<T>) => (bearer === undefined ? run() : withTokenReset(bearer, run));

  // A static key's headers never change: built once per kind instead of per call (a bearer token is fetched per call).
  const staticHeaders = bearer === undefined ? { stream: upstreamHeaders(deployment, dialect.authHeaders(apiKey), { stream: true }), unary: upstreamHeaders(deployment, dialect.authHeaders(apiKey), { stream: false }) } : undefined;
  const headersFor = async (stream: boolean) => (staticHeaders ? (stream ? staticHeaders.stream : staticHeaders.unary) : upstreamHeaders(deployment, await auth(), { stream }));

  async function post(operation: 'chat/completions' | 'embeddings', model: string, body: string, signal: AbortSignal, stream: boolean) {
    return {
      method: 'POST' as const,
      path: dialect.path(operation, model),
      headers: await headersFor(stream),
      body,
      signal,
    };
  }

  // A layout depends on the upstream model name only, and building one copies the protocol word
  // list: kept per model (a deployment serves a handful; the bound covers one passing names through).
  const chatLayouts = new Map<string, WireLayout>();
  const chatLayoutOf = (model: string): WireLayout => {
    let layout = chatLayouts.get(model);
    if (layout === undefined) {
      if (chatLayouts.size >= 64) chatLayouts.clear();
      layout = openAIChatLayout(model);
      chatLayouts.set(model, layout);
    }
    return layout;
  };

  function describeChat(request: ChatRequest, stream: boolean): OutboundRequest {
    const model = resolveUpstreamModel(deployment, request.model);
    const body = encodeOpenAIChatRequest({ ...request, stream }, { model, maxTokensField: dialect.maxTokensField });
    return { operation: stream ? 'chat-stream' : 'chat', body: body as unknown as OutboundRequest['body'], layout: chatLayoutOf(model) };
  }

  function describeEmbeddings(request: EmbeddingRequest): OutboundRequest {
    if (!dialect.embeddings) {
      throw new GatewayError('unsupported_feature', `Deployment '${deployment.id}' does not serve embeddings.`);
    }
    const model = resolveUpstreamModel(deployment, request.model);
    return { operation: 'embeddings', body: encodeOpenAIEmbeddingRequest(request, model) as unknown as OutboundRequest['body'], layout: openAIEmbeddingLayout(model) };
  }

  /** The bytes to send: the policy-checked body when the pipeline gave one, else our own encoding. */
  const bodyOf = (described: () => OutboundRequest, sealed: string | undefined) => sealed ?? JSON.stringify(described().body);

  /** Opens a chat stream: resolves with the 2xx response's body. */
  async function streamBody(request: ChatRequest, context: UpstreamCallContext): Promise<AsyncIterable<Uint8Array>> {
    const model = resolveUpstreamModel(deployment, request.model);
    const body = bodyOf(() => describeChat(request, true), context.body);
    return (await sendUpstream(transport, await post('chat/completions', model, body, context.signal, true), errorContext)).body;
  }

  return {
    deploymentId: deployment.id,

    describeOutbound: (call) => (call.operation === 'embeddings' ? describeEmbeddings(call.request) : describeChat(call.request, call.operation === 'chat-stream')),

    chat: (request, context) =>
      call(async () => {
        const model = resolveUpstreamModel(deployment, request.model);
        const body = bodyOf(() => describeChat(request, false), context.body);
        return sendUpstreamJson(transport, await post('chat/completions', model, body, context.signal, false), errorContext, decodeOpenAIChatResponse);
      }),

    chatStream: (request, context) =>
      call(async () => guardUpstreamStream(decodeOpenAIStream(parseSse(await streamBody(request, context))), context.signal, errorContext)),

    // The bytes as they came, for an OpenAI chat client (Azure's chunks are OpenAI's too).
    relayFormat: 'openai-chat',
    // Failures map as in guardUpstreamStream, inside the relay's own loop (one generator fewer per read).
    chatStreamRelay: (request, context) =>
      call(async () => relayOpenAIStream(await streamBody(request, context), (error) => streamInterruption(error, context.signal, errorContext))),

    embed: (request: EmbeddingRequest, context) =>
      call(async () => {
        if (!dialect.embeddings) describeEmbeddings(request);
        const model = resolveUpstreamModel(deployment, request.model);
        const body = bodyOf(() => describeEmbeddings(request), context.body);
        return sendUpstreamJson(transport, await post('embeddings', model, body, context.signal, false), errorContext, decodeOpenAIEmbeddingResponse);
      }),

    probe: (path, signal) => call(async () => probeUpstream(transport, path, upstreamHeaders(deployment, await auth(), { stream: false }), signal, errorContext)),

    close: () => transport.close(),
  };
}
