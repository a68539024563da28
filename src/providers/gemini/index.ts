/**
 * `gemini`: Google's Generative Language API (v1beta) — generateContent,
 * streamGenerateContent?alt=sse and batchEmbedContents, authenticated with x-goog-api-key.
 * Gemini puts part of its error meaning in the body (a bad key is a 400 with reason
 * API_KEY_INVALID; the retry delay is a RetryInfo detail), which `inspectErrorBody` reads.
 */
import type { ErrorCode } from '../../errors/error-codes.js';
import type { ChatRequest } from '../../model/chat-request.js';
import { decodeGeminiEmbeddingResponse, decodeGeminiResponse } from '../../wire/gemini/decode-gemini-response.js';
import { decodeGeminiStream } from '../../wire/gemini/decode-gemini-stream.js';
import { encodeGeminiEmbeddingRequest, encodeGeminiRequest } from '../../wire/gemini/encode-gemini-request.js';
import { geminiChatLayout, geminiEmbeddingLayout } from '../../wire/gemini/gemini-request-layout.js';
import type { OutboundRequest } from '../../model/outbound-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import { parseSse } from '../../wire/sse/parse-sse.js';
import type { UpstreamHttpRequest } from '../http-transport.js';
import type { AdapterFactory } from '../provider-adapter.js';
import { guardUpstreamStream, sendUpstream, sendUpstreamJson, probeUpstream } from '../upstream-call.js';
import { resolveUpstreamModel, upstreamHeaders } from '../upstream-headers.js';
import { defineProvider } from '../provider-definition.js';

export const createGeminiAdapter: AdapterFactory = ({ deployment, apiKey, transport }) => {
  const errorContext = { deploymentId: deployment.id, secrets: [apiKey], inspectErrorBody: inspectGeminiError };
  const auth: Record<string, string> = apiKey === undefined ? {} : { 'x-goog-api-key': apiKey };
  // Gemini model resource names are "models/…"; accept either spelling in config and requests.
  const modelOf = (model: string) => resolveUpstreamModel(deployment, model).replace(/^models\//, '');

  function post(method: string, model: string, body: string, signal: AbortSignal, stream: boolean): UpstreamHttpRequest {
    return { method: 'POST', path: `/models/${encodeURIComponent(model)}:${method}`, headers: upstreamHeaders(deployment, auth, { stream }), body, signal };
  }
  const describeChat = (request: ChatRequest, stream: boolean): OutboundRequest => ({
    operation: stream ? 'chat-stream' : 'chat',
    body: encodeGeminiRequest(request) as unknown as OutboundRequest['body'],
    layout: geminiChatLayout(modelOf(request.model)),
  });
  const describeEmbeddings = (request: EmbeddingRequest): OutboundRequest => {
    const model = modelOf(request.model);
    return { operation: 'embeddings', body: encodeGeminiEmbeddingRequest(request, model) as unknown as OutboundRequest['body'], layout: geminiEmbeddingLayout(model) };
  };
  // The policy-checked body when the pipeline gave one, else our own encoding.
  const bodyOf = (described: () => OutboundRequest, sealed: string | undefined) => sealed ?? JSON.stringify(described().body);

  return {
    deploymentId: deployment.id,

    describeOutbound: (call) => (call.operation === 'embeddings' ? describeEmbeddings(call.request) : describeChat(call.request, call.operation === 'chat-stream')),

    chat: (request, context) =>
      sendUpstreamJson(
        transport,
        post('generateContent', modelOf(request.model), bodyOf(() => describeChat(request, false), context.body), context.signal, false),
        errorContext,
        decodeGeminiResponse,
      ),

    async chatStream(request, context) {
      const upstream = post('streamGenerateContent?alt=sse', modelOf(request.model), bodyOf(() => describeChat(request, true), context.body), context.signal, true);
      const response = await sendUpstream(transport, upstream, errorContext);
      return guardUpstreamStream(decodeGeminiStream(parseSse(response.body)), context.signal, errorContext);
    },

    embed(request, context) {
      const model = modelOf(request.model);
      return sendUpstreamJson(transport, post('batchEmbedContents', model, bodyOf(() => describeEmbeddings(request), context.body), context.signal, false), errorContext, (body) =>
        decodeGeminiEmbeddingResponse(body, model),
      );
    },

    probe: (path, signal) => probeUpstream(transport, path, upstreamHeaders(deployment, auth, { stream: false }), signal, errorContext),

    close: () => transport.close(),
  };
};

function inspectGeminiError(_status: number, body: unknown): { code?: ErrorCode; retryAfterSeconds?: number } | undefined {
  const details = (body as { error?: { details?: unknown } } | undefined)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  const result: { code?: ErrorCode; retryAfterSeconds?: number } = {};
  for (const detail of details as Array<Record<string, unknown>>) {
    if (detail.reason === 'API_KEY_INVALID') result.code = 'upstream_auth_failed';
    // RetryInfo.retryDelay is a protobuf Duration in JSON: "37s" or "0.5s".
    const delay = typeof detail.retryDelay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(detail.retryDelay) : null;
    if (delay?.[1] !== undefined) result.retryAfterSeconds = Number(delay[1]);
  }
  return result;
}

export const geminiProvider = defineProvider({
  id: 'gemini',
  options: {},
  defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
  usesNetwork: true,
  create: createGeminiAdapter,
});
