/**
 * `bedrock`: Amazon Bedrock runtime — Converse and ConverseStream for chat (one wire for every
 * model family Bedrock hosts, tools included), InvokeModel for Titan and Cohere embeddings,
 * CountTokens for the count_tokens helper. Requests are signed with SigV4 using credentials
 * from the configured source (static keys, a profile, web identity / IRSA, instance or
 * container metadata, or the SDK's default chain). A VPC interface endpoint is just a
 * different base_url; the signature still names the configured region.
 */
import { GatewayError, UpstreamError } from '../../errors/gateway-error.js';
import type { ChatRequest } from '../../model/chat-request.js';
import type { EmbeddingRequest } from '../../model/embedding.js';
import type { OutboundRequest } from '../../model/outbound-request.js';
import { bedrockEmbeddingFamily, decodeBedrockEmbeddingResponse, encodeBedrockEmbeddingRequest } from '../../wire/bedrock/bedrock-embeddings.js';
import { bedrockEmbeddingLayout, converseRequestLayout } from '../../wire/bedrock/converse-request-layout.js';
import { decodeConverseResponse } from '../../wire/bedrock/decode-converse-response.js';
import { decodeConverseStream } from '../../wire/bedrock/decode-converse-stream.js';
import { decodeEventStream } from '../../wire/bedrock/decode-event-stream.js';
import { encodeConverseRequest } from '../../wire/bedrock/encode-converse-request.js';
import { isRecord, WireProtocolError } from '../../wire/wire-protocol-error.js';
import { createCachedCredential } from '../cloud-credentials/cached-credential.js';
import { withTokenReset } from '../cloud-credentials/bearer-token.js';
import { credentialFailure } from '../cloud-credentials/credential-failure.js';
import { requireSecretResolver } from '../cloud-credentials/require-secret-resolver.js';
import type { UpstreamHttpRequest } from '../http-transport.js';
import type { AdapterFactory, AdapterFactoryOptions, ProviderAdapter } from '../provider-adapter.js';
import { guardUpstreamStream, probeUpstream, sendUpstream, sendUpstreamJson } from '../upstream-call.js';
import { resolveUpstreamModel, upstreamHeaders } from '../upstream-headers.js';
import { awsCredentialProvider, awsSourceName, type AwsCredentialProvider, type AwsCredentials } from './aws-credentials.js';
import { bedrockDefaultBaseUrl, bedrockOptionsSchema, type BedrockOptions } from './bedrock-options-schema.js';
import { defineProvider } from '../provider-definition.js';
import { createSigV4Signer } from './sigv4-signer.js';

/** Temporary credentials are refreshed this long before they expire (the SDK clients use 5 minutes too). */
const REFRESH_MARGIN_MS = 5 * 60_000;

export interface BedrockTestHooks {
  /** Replaces the configured credential source. */
  credentials?: AwsCredentialProvider;
  /** Clock for signing dates and credential expiry. */
  now?: () => number;
}

export const createBedrockAdapter: AdapterFactory = (options) => createBedrockAdapterWith(options);

export function createBedrockAdapterWith(options: AdapterFactoryOptions, hooks: BedrockTestHooks = {}): ProviderAdapter {
  const { deployment, transport } = options;
  const bedrock: BedrockOptions | undefined = deployment.bedrock;
  if (bedrock === undefined) throw new Error(`deployment '${deployment.id}': provider 'bedrock' needs a 'bedrock' block (region, credentials)`);
  const now = hooks.now ?? Date.now;
  const source = awsSourceName(bedrock.credentials);
  const provider = hooks.credentials ?? awsCredentialProvider(bedrock.credentials, requireSecretResolver(options));
  // Values that must never appear in an error message: filled in as credentials are fetched.
  const secrets: string[] = [];
  const errorContext = { deploymentId: deployment.id, secrets };
  const credentials = createCachedCredential<AwsCredentials>({
    now,
    refreshMarginMs: REFRESH_MARGIN_MS,
    async fetch() {
      let value: AwsCredentials;
      try {
        value = await provider();
      } catch (error) {
        throw credentialFailure(deployment.id, source, error);
      }
      secrets.splice(0, secrets.length, value.secretAccessKey, ...(value.sessionToken !== undefined ? [value.sessionToken] : []));
      return { value, ...(value.expiration !== undefined ? { expiresAt: value.expiration.getTime() } : {}) };
    },
  });
  const sign = createSigV4Signer({
    baseUrl: deployment.base_url ?? bedrockDefaultBaseUrl(bedrock),
    region: bedrock.region,
    service: 'bedrock',
    credentials: () => credentials.get(),
    now,
  });

  const modelOf = (model: string) => resolveUpstreamModel(deployment, model);
  const modelPath = (model: string, action: string) => `/model/${encodeURIComponent(model)}/${action}`;

  async function signed(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal, accept: string): Promise<UpstreamHttpRequest> {
    const headers: Record<string, string> = { ...upstreamHeaders(deployment, {}, { stream: false }), accept };
    if (method === 'GET') delete headers['content-type'];
    try {
      return await sign({ method, path, headers, ...(body !== undefined ? { body } : {}), signal });
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      throw credentialFailure(deployment.id, source, error);
    }
  }

  function describeChat(request: ChatRequest, stream: boolean): OutboundRequest {
    const model = modelOf(request.model);
    return { operation: stream ? 'chat-stream' : 'chat', body: encodeConverseRequest(request) as unknown as OutboundRequest['body'], layout: converseRequestLayout(model) };
  }

  function embeddingFamily(model: string) {
    const family = bedrockEmbeddingFamily(model);
    if (family === undefined) {
      throw new GatewayError('unsupported_feature', `Deployment '${deployment.id}' (bedrock) serves embeddings for Titan and Cohere models only; '${model}' is neither.`);
    }
    return family;
  }

  function describeEmbeddings(request: EmbeddingRequest): OutboundRequest {
    const model = modelOf(request.model);
    let body: OutboundRequest['body'];
    try {
      body = encodeBedrockEmbeddingRequest(request, embeddingFamily(model));
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new GatewayError('invalid_request', (error as Error).message);
    }
    return { operation: 'embeddings', body, layout: bedrockEmbeddingLayout(model) };
  }

  // The policy-checked body when the pipeline gave one, else our own encoding.
  const bodyOf = (described: () => OutboundRequest, sealed: string | undefined) => sealed ?? JSON.stringify(described().body);
  // Refused credentials (revoked session, rotated key): fetch fresh ones for the next call.
  const withAuthReset = <T>(call: () => Promise<T>) => withTokenReset(credentials, call);

  return {
    deploymentId: deployment.id,

    describeOutbound: (call) => (call.operation === 'embeddings' ? describeEmbeddings(call.request) : describeChat(call.request, call.operation === 'chat-stream')),

    chat: (request, context) =>
      withAuthReset(async () => {
        const model = modelOf(request.model);
        const upstream = await signed('POST', modelPath(model, 'converse'), bodyOf(() => describeChat(request, false), context.body), context.signal, 'application/json');
        const response = await sendUpstream(transport, upstream, errorContext);
        const id = response.headers['x-amzn-requestid'] ?? '';
        return decodeJsonBody(await response.text(), response.status, deployment.id, (body) => decodeConverseResponse(body, { id, model }));
      }),

    chatStream: (request, context) =>
      withAuthReset(async () => {
        const model = modelOf(request.model);
        const body = bodyOf(() => describeChat(request, true), context.body);
        const upstream = await signed('POST', modelPath(model, 'converse-stream'), body, context.signal, 'application/vnd.amazon.eventstream');
        const response = await sendUpstream(transport, upstream, errorContext);
        const meta = { id: response.headers['x-amzn-requestid'] ?? '', model };
        return guardUpstreamStream(decodeConverseStream(decodeEventStream(response.body), meta), context.signal, errorContext);
      }),

    embed: (request, context) =>
      withAuthReset(async () => {
        const model = modelOf(request.model);
        const family = embeddingFamily(model);
        const body = bodyOf(() => describeEmbeddings(request), context.body);
        const response = await sendUpstream(transport, await signed('POST', modelPath(model, 'invoke'), body, context.signal, 'application/json'), errorContext);
        const counted = Number(response.headers['x-amzn-bedrock-input-token-count']);
        const inputTokens = Number.isFinite(counted) && response.headers['x-amzn-bedrock-input-token-count'] !== undefined ? counted : undefined;
        return decodeJsonBody(await response.text(), response.status, deployment.id, (json) => decodeBedrockEmbeddingResponse(json, family, { model, inputTokens }));
      }),

    countTokens: (request, context) =>
      withAuthReset(async () => {
        const model = modelOf(request.model);
        // CountTokens wraps a Converse body: {"input":{"converse":{messages, system, toolConfig}}}.
        const converse = encodeConverseRequest(request);
        const { inferenceConfig: _unused, ...countable } = converse;
        const body = JSON.stringify({ input: { converse: countable } });
        return sendUpstreamJson(transport, await signed('POST', modelPath(model, 'count-tokens'), body, context.signal, 'application/json'), errorContext, (json) => {
          if (!isRecord(json) || typeof json.inputTokens !== 'number') throw new WireProtocolError('The upstream response has no inputTokens.');
          return { inputTokens: json.inputTokens };
        });
      }),

    probe: (path, signal) => withAuthReset(async () => probeUpstream(transport, path, (await signed('GET', path, undefined, signal, 'application/json')).headers, signal, errorContext)),

    close: () => transport.close(),
  };
}

/** Amazon Bedrock; the public endpoint is the region's `bedrock-runtime` host. */
export const bedrockProvider = defineProvider({
  id: 'bedrock',
  options: {
    /** AWS region and credential source of a Bedrock deployment. */
    bedrock: bedrockOptionsSchema.optional(),
  },
  defaultBaseUrl: (deployment) => {
    const parsed = bedrockOptionsSchema.safeParse(deployment.bedrock);
    return parsed.success ? bedrockDefaultBaseUrl(parsed.data) : undefined;
  },
  checkDeployment: (deployment) =>
    deployment.bedrock === undefined ? [{ path: ['provider'], message: "provider 'bedrock' needs a 'bedrock' block (region, credentials)" }] : [],
  usesNetwork: true,
  create: createBedrockAdapter,
});

function decodeJsonBody<T>(text: string, status: number, deploymentId: string, decode: (body: unknown) => T): T {
  try {
    return decode(JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof WireProtocolError ? error.message : 'The upstream response is not valid JSON.';
    throw new UpstreamError('upstream_error', `Upstream deployment '${deploymentId}' sent an unusable response. ${reason}`, deploymentId, { cause: error, upstreamStatus: status });
  }
}
