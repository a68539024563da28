/**
 * `vertex`: Google Cloud Vertex AI. Gemini models speak the Gemini wire
 * (`publishers/google/models/{m}:generateContent`, `:streamGenerateContent?alt=sse`) and
 * embeddings go through `:predict`; Claude models (upstream names starting with `claude`) speak
 * Anthropic's Messages wire through `publishers/anthropic/models/{m}:rawPredict` /
 * `:streamRawPredict`, with the model in the URL and `anthropic_version: vertex-2023-10-16` in
 * the body. Every call carries a Google OAuth access token from the configured credentials.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import type { JsonObject } from '../../model/json-value.js';
import type { OutboundRequest, WireLayout } from '../../model/outbound-request.js';
import { anthropicRequestLayout } from '../../wire/anthropic/anthropic-request-layout.js';
import { decodeAnthropicResponse } from '../../wire/anthropic/decode-anthropic-response.js';
import { decodeAnthropicStream } from '../../wire/anthropic/decode-anthropic-stream.js';
import { encodeAnthropicRequest } from '../../wire/anthropic/encode-anthropic-request.js';
import { decodeGeminiResponse } from '../../wire/gemini/decode-gemini-response.js';
import { decodeGeminiStream } from '../../wire/gemini/decode-gemini-stream.js';
import { encodeGeminiRequest } from '../../wire/gemini/encode-gemini-request.js';
import { geminiChatLayout } from '../../wire/gemini/gemini-request-layout.js';
import { parseSse } from '../../wire/sse/parse-sse.js';
import { createBearerToken, withTokenReset } from '../cloud-credentials/bearer-token.js';
import type { UpstreamHttpRequest } from '../http-transport.js';
import type { AdapterFactory, AdapterFactoryOptions, ProviderAdapter } from '../provider-adapter.js';
import { guardUpstreamStream, probeUpstream, sendUpstream, sendUpstreamJson } from '../upstream-call.js';
import { resolveUpstreamModel, upstreamHeaders } from '../upstream-headers.js';
import { googleAccessToken, googleSourceName, type AccessTokenFetcher } from './google-access-token.js';
import { defineProvider } from '../provider-definition.js';
import { vertexDefaultBaseUrl, vertexOptionsSchema } from './vertex-options-schema.js';
import { decodeVertexEmbeddingResponse, encodeVertexEmbeddingRequest, vertexEmbeddingLayout } from './vertex-embeddings.js';

/** The Messages wire version Vertex AI's Anthropic models accept (in the body, not a header). */
export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export interface VertexTestHooks {
  accessToken?: AccessTokenFetcher;
  now?: () => number;
}

export const createVertexAdapter: AdapterFactory = (options) => createVertexAdapterWith(options);

export function createVertexAdapterWith(options: AdapterFactoryOptions, hooks: VertexTestHooks = {}): ProviderAdapter {
  const { deployment, transport } = options;
  const vertex = deployment.vertex;
  if (vertex === undefined) throw new Error(`deployment '${deployment.id}': provider 'vertex' needs a 'vertex' block (project, location, credentials)`);
  const token = createBearerToken({
    deploymentId: deployment.id,
    source: googleSourceName(vertex.credentials),
    fetch: hooks.accessToken ?? googleAccessToken(vertex.credentials),
    ...(hooks.now !== undefined ? { now: hooks.now } : {}),
  });
  const errorContext = { deploymentId: deployment.id, secrets: token.secrets };
  const modelOf = (model: string) => resolveUpstreamModel(deployment, model).replace(/^models\//, '');
  const isClaude = (model: string) => model.startsWith('claude');
  const modelPath = (publisher: 'google' | 'anthropic', model: string, method: string) =>
    `/projects/${encodeURIComponent(vertex.project)}/locations/${encodeURIComponent(vertex.location)}/publishers/${publisher}/models/${encodeURIComponent(model)}:${method}`;

  async function post(path: string, body: string, signal: AbortSignal, stream: boolean): Promise<UpstreamHttpRequest> {
    return { method: 'POST', path, headers: upstreamHeaders(deployment, await token.headers(), { stream }), body, signal };
  }

  function describeChat(request: ChatRequest, stream: boolean): OutboundRequest {
    const model = modelOf(request.model);
    const operation = stream ? 'chat-stream' : 'chat';
    if (!isClaude(model)) return { operation, body: encodeGeminiRequest(request) as unknown as JsonObject, layout: geminiChatLayout(model) };
    // Vertex names the model in the URL; the body carries the Vertex wire version instead.
    const { model: _inUrl, ...rest } = encodeAnthropicRequest({ ...request, stream }, model);
    return { operation, body: { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest } as unknown as JsonObject, layout: withVertexWords(anthropicRequestLayout(model)) };
  }

  function describeEmbeddings(request: EmbeddingRequest): OutboundRequest {
    const model = modelOf(request.model);
    if (isClaude(model)) throw new GatewayError('unsupported_feature', `Deployment '${deployment.id}' (vertex): '${model}' serves no embeddings.`);
    return { operation: 'embeddings', body: encodeVertexEmbeddingRequest(request), layout: vertexEmbeddingLayout(model) };
  }

  // The policy-checked body when the pipeline gave one, else our own encoding.
  const bodyOf = (described: () => OutboundRequest, sealed: string | undefined) => sealed ?? JSON.stringify(described().body);

  return {
    deploymentId: deployment.id,

    describeOutbound: (call) => (call.operation === 'embeddings' ? describeEmbeddings(call.request) : describeChat(call.request, call.operation === 'chat-stream')),

    chat: (request, context) =>
      withTokenReset(token, async () => {
        const model = modelOf(request.model);
        const body = bodyOf(() => describeChat(request, false), context.body);
        if (isClaude(model)) return sendUpstreamJson(transport, await post(modelPath('anthropic', model, 'rawPredict'), body, context.signal, false), errorContext, decodeAnthropicResponse);
        return sendUpstreamJson(transport, await post(modelPath('google', model, 'generateContent'), body, context.signal, false), errorContext, decodeGeminiResponse);
      }),

    chatStream: (request, context) =>
      withTokenReset(token, async () => {
        const model = modelOf(request.model);
        const body = bodyOf(() => describeChat(request, true), context.body);
        const claude = isClaude(model);
        const path = claude ? modelPath('anthropic', model, 'streamRawPredict') : modelPath('google', model, 'streamGenerateContent?alt=sse');
        const response = await sendUpstream(transport, await post(path, body, context.signal, true), errorContext);
        const events = parseSse(response.body);
        return guardUpstreamStream(claude ? decodeAnthropicStream(events) : decodeGeminiStream(events), context.signal, errorContext);
      }),

    embed: (request, context) =>
      withTokenReset(token, async () => {
        const model = modelOf(request.model);
        if (isClaude(model)) describeEmbeddings(request);
        const body = bodyOf(() => describeEmbeddings(request), context.body);
        return sendUpstreamJson(transport, await post(modelPath('google', model, 'predict'), body, context.signal, false), errorContext, (json) => decodeVertexEmbeddingResponse(json, model));
      }),

    probe: (path, signal) => withTokenReset(token, async () => probeUpstream(transport, path, upstreamHeaders(deployment, await token.headers(), { stream: false }), signal, errorContext)),

    close: () => transport.close(),
  };
}

/** Vertex AI; the public endpoint is the location's `aiplatform` host. */
export const vertexProvider = defineProvider({
  id: 'vertex',
  options: {
    /** Project, location and credential source of a Vertex AI deployment. */
    vertex: vertexOptionsSchema.optional(),
  },
  defaultBaseUrl: (deployment) => {
    const parsed = vertexOptionsSchema.safeParse(deployment.vertex);
    return parsed.success ? vertexDefaultBaseUrl(parsed.data) : undefined;
  },
  checkDeployment: (deployment) =>
    deployment.vertex === undefined ? [{ path: ['provider'], message: "provider 'vertex' needs a 'vertex' block (project, location, credentials)" }] : [],
  usesNetwork: true,
  create: createVertexAdapter,
});

/** The Anthropic layout plus the two protocol words Vertex adds. */
function withVertexWords(layout: WireLayout): WireLayout {
  const base = layout.vocabulary;
  return { ...layout, vocabulary: { has: (word) => word === 'anthropic_version' || word === VERTEX_ANTHROPIC_VERSION || base.has(word) } };
}
