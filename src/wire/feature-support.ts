import { GatewayError } from '../errors/gateway-error.js';
import type { CanonicalMessage, ContentPart } from '../model/chat-message.js';
import type { ChatRequest, RequestFeature } from '../model/chat-request.js';

/**
 * Which request features a wire can express, and what happens to the others: a feature the
 * serving alias lists under `drop_unsupported` is dropped; any other is refused with a 400 naming
 * it and the remedy. Nothing is dropped silently — a client that asked for `seed` or `thinking`
 * and got an answer without it would have no way to know.
 */

/** A target cannot honour a feature of the request and the alias does not allow dropping it. */
export class UnsupportedParameterError extends GatewayError {
  constructor(
    readonly feature: RequestFeature,
    wire: string,
  ) {
    super(
      'unsupported_parameter',
      `'${feature}' is not supported by the ${wire} deployment serving this model. Remove '${feature}' from the request, use a model alias served by a deployment that supports it, or ask an administrator to list '${feature}' under the alias's drop_unsupported so the gateway drops it.`,
      { param: feature },
    );
    this.name = 'UnsupportedParameterError';
  }
}

const hasPart = (messages: readonly CanonicalMessage[], test: (part: ContentPart) => boolean) => messages.some((message) => message.content.some(test));
const isThinking = (part: ContentPart) => part.type === 'thinking' || part.type === 'redacted-thinking';

/** The features this request uses, in REQUEST_FEATURES order. */
export function featuresUsed(request: ChatRequest): RequestFeature[] {
  const used: RequestFeature[] = [];
  if (request.n !== undefined && request.n > 1) used.push('n');
  if (request.seed !== undefined) used.push('seed');
  if (request.responseFormat !== undefined && request.responseFormat.type !== 'text') used.push('response_format');
  if (request.topK !== undefined) used.push('top_k');
  if (request.thinking?.type === 'enabled' || hasPart(request.messages, isThinking)) used.push('thinking');
  const cached =
    request.messages.some((message) => message.cacheControl !== undefined || (message.toolCalls ?? []).some((call) => call.cacheControl !== undefined)) ||
    hasPart(request.messages, (part) => 'cacheControl' in part && part.cacheControl !== undefined) ||
    (request.tools ?? []).some((tool) => tool.cacheControl !== undefined);
  if (cached) used.push('cache_control');
  if (hasPart(request.messages, (part) => part.type === 'document')) used.push('document');
  return used;
}

function withoutCacheControl<T extends { cacheControl?: unknown }>(value: T): T {
  if (value.cacheControl === undefined) return value;
  const { cacheControl: _dropped, ...rest } = value;
  return rest as T;
}

/** A copy of the request without the given features (the canonical meaning of "dropped"). */
export function withoutFeatures(request: ChatRequest, features: ReadonlySet<RequestFeature>): ChatRequest {
  if (features.size === 0) return request;
  const result: ChatRequest = { ...request };
  if (features.has('n')) delete result.n;
  if (features.has('seed')) delete result.seed;
  if (features.has('response_format')) delete result.responseFormat;
  if (features.has('top_k')) delete result.topK;
  if (features.has('thinking')) delete result.thinking;
  const keepPart = (part: ContentPart) => !(features.has('thinking') && isThinking(part)) && !(features.has('document') && part.type === 'document');
  result.messages = request.messages
    .map((message) => {
      let content = message.content.filter(keepPart);
      let next: CanonicalMessage = content === message.content ? message : { ...message, content };
      if (features.has('cache_control')) {
        content = next.content.map((part) => ('cacheControl' in part ? withoutCacheControl(part) : part));
        next = withoutCacheControl({ ...next, content });
        if (next.toolCalls) next.toolCalls = next.toolCalls.map(withoutCacheControl);
      }
      return next;
    })
    // A turn that held nothing but dropped reasoning would be an empty message, which upstreams refuse.
    .filter((message) => message.content.length > 0 || (message.toolCalls?.length ?? 0) > 0 || message.role === 'tool');
  if (features.has('cache_control') && request.tools) result.tools = request.tools.map(withoutCacheControl);
  return result;
}

/**
 * The request as a wire supporting `supported` can send it: unsupported features the alias
 * allows dropping are dropped; the first other one throws UnsupportedParameterError.
 */
export function fitToWire(request: ChatRequest, supported: ReadonlySet<RequestFeature>, wire: string): ChatRequest {
  const unsupported = featuresUsed(request).filter((feature) => !supported.has(feature));
  if (unsupported.length === 0) return request;
  const droppable = new Set(request.dropUnsupported ?? []);
  const refused = unsupported.find((feature) => !droppable.has(feature));
  if (refused !== undefined) throw new UnsupportedParameterError(refused, wire);
  return withoutFeatures(request, new Set(unsupported));
}
