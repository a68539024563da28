/**
 * `anthropic`: the Anthropic Messages API (POST /v1/messages). The version header pins the
 * wire format this adapter was written against; Anthropic serves no embeddings.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../pipeline/gateway-request.js';
import { decodeAnthropicResponse } from '../../wire/anthropic/decode-anthropic-response.js';
import { decodeAnthropicStream } from '../../wire/anthropic/decode-anthropic-stream.js';
import { encodeAnthropicRequest } from '../../wire/anthropic/encode-anthropic-request.js';
import { parseSse } from '../../wire/sse/parse-sse.js';
import type { UpstreamHttpRequest } from '../http-transport.js';
import type { AdapterFactory } from '../provider-adapter.js';
import { guardUpstreamStream, sendUpstream, sendUpstreamJson, probeUpstream } from '../upstream-call.js';
import { resolveUpstreamModel, upstreamHeaders } from '../upstream-headers.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export const createAnthropicAdapter: AdapterFactory = ({ deployment, apiKey, transport }) => {
  const errorContext = { deploymentId: deployment.id, secrets: [apiKey] };
  const auth: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION, ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }) };

  function messagesRequest(request: ChatRequest, stream: boolean, signal: AbortSignal): UpstreamHttpRequest {
    const body = encodeAnthropicRequest({ ...request, stream }, resolveUpstreamModel(deployment, request.model));
    return { method: 'POST', path: '/v1/messages', headers: upstreamHeaders(deployment, auth, { stream }), body: JSON.stringify(body), signal };
  }

  return {
    deploymentId: deployment.id,

    chat: (request, context) =>
      sendUpstreamJson(transport, messagesRequest(request, false, context.signal), errorContext, decodeAnthropicResponse),

    async chatStream(request, context) {
      const response = await sendUpstream(transport, messagesRequest(request, true, context.signal), errorContext);
      return guardUpstreamStream(decodeAnthropicStream(parseSse(response.body)), context.signal, errorContext);
    },

    embed: () => Promise.reject(new GatewayError('unsupported_feature', `Deployment '${deployment.id}' (anthropic) does not serve embeddings.`)),

    probe: (path, signal) => probeUpstream(transport, path, upstreamHeaders(deployment, auth, { stream: false }), signal, errorContext),

    close: () => transport.close(),
  };
};
