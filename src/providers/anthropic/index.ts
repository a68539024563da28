/**
 * `anthropic`: the Anthropic Messages API (POST /v1/messages). The version header pins the
 * wire format this adapter was written against; Anthropic serves no embeddings.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import { decodeAnthropicResponse } from '../../wire/anthropic/decode-anthropic-response.js';
import { decodeAnthropicStream } from '../../wire/anthropic/decode-anthropic-stream.js';
import { encodeAnthropicRequest } from '../../wire/anthropic/encode-anthropic-request.js';
import { decodeAnthropicCountTokensResponse, encodeAnthropicCountTokensRequest } from '../../wire/anthropic/encode-anthropic-count-tokens.js';
import { anthropicRequestLayout } from '../../wire/anthropic/anthropic-request-layout.js';
import type { OutboundRequest } from '../../model/outbound-request.js';
import { parseSse } from '../../wire/sse/parse-sse.js';
import type { UpstreamHttpRequest } from '../http-transport.js';
import type { AdapterFactory } from '../provider-adapter.js';
import { guardUpstreamStream, sendUpstream, sendUpstreamJson, probeUpstream } from '../upstream-call.js';
import { resolveUpstreamModel, upstreamHeaders } from '../upstream-headers.js';
import { defineProvider } from '../provider-definition.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export const createAnthropicAdapter: AdapterFactory = ({ deployment, apiKey, transport }) => {
  const errorContext = { deploymentId: deployment.id, secrets: [apiKey] };
  const auth: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION, ...(apiKey === undefined ? {} : { 'x-api-key': apiKey }) };

  function describeChat(request: ChatRequest, stream: boolean): OutboundRequest {
    const model = resolveUpstreamModel(deployment, request.model);
    const body = encodeAnthropicRequest({ ...request, stream }, model);
    return { operation: stream ? 'chat-stream' : 'chat', body: body as unknown as OutboundRequest['body'], layout: anthropicRequestLayout(model) };
  }

  function describeCount(request: ChatRequest): OutboundRequest {
    const model = resolveUpstreamModel(deployment, request.model);
    return { operation: 'count-tokens', body: encodeAnthropicCountTokensRequest(request, model) as unknown as OutboundRequest['body'], layout: anthropicRequestLayout(model) };
  }

  const unsupported = () => new GatewayError('unsupported_feature', `Deployment '${deployment.id}' (anthropic) does not serve embeddings.`);

  function messagesRequest(request: ChatRequest, stream: boolean, signal: AbortSignal, sealed: string | undefined): UpstreamHttpRequest {
    // The policy-checked body when the pipeline gave one, else our own encoding.
    const body = sealed ?? JSON.stringify(describeChat(request, stream).body);
    return { method: 'POST', path: '/v1/messages', headers: upstreamHeaders(deployment, auth, { stream }), body, signal };
  }

  return {
    deploymentId: deployment.id,

    describeOutbound(call) {
      if (call.operation === 'embeddings') throw unsupported();
      if (call.operation === 'count-tokens') return describeCount(call.request);
      return describeChat(call.request, call.operation === 'chat-stream');
    },

    chat: (request, context) =>
      sendUpstreamJson(transport, messagesRequest(request, false, context.signal, context.body), errorContext, decodeAnthropicResponse),

    async chatStream(request, context) {
      const response = await sendUpstream(transport, messagesRequest(request, true, context.signal, context.body), errorContext);
      return guardUpstreamStream(decodeAnthropicStream(parseSse(response.body)), context.signal, errorContext);
    },

    embed: () => Promise.reject(unsupported()),

    countTokens: (request, context) =>
      sendUpstreamJson(
        transport,
        {
          method: 'POST',
          path: '/v1/messages/count_tokens',
          headers: upstreamHeaders(deployment, auth, { stream: false }),
          // The policy-checked body when the pipeline gave one, else our own encoding.
          body: context.body ?? JSON.stringify(describeCount(request).body),
          signal: context.signal,
        },
        errorContext,
        decodeAnthropicCountTokensResponse,
      ),

    probe: (path, signal) => probeUpstream(transport, path, upstreamHeaders(deployment, auth, { stream: false }), signal, errorContext),

    close: () => transport.close(),
  };
};

export const anthropicProvider = defineProvider({
  id: 'anthropic',
  options: {},
  defaultBaseUrl: 'https://api.anthropic.com',
  usesNetwork: true,
  create: createAnthropicAdapter,
});
