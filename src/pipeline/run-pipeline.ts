import { GatewayError, ModelNotFoundError } from '../errors/gateway-error.js';
import type { Principal } from '../identity/principal.js';
import type { AttemptRecord } from '../errors/gateway-error.js';
import { dispatchWithFailover } from '../routing/dispatch-with-failover.js';
import { orderTargets, type AliasTarget } from '../routing/order-targets.js';
import type { ModelAliasConfig } from '../config/config-schema.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

export type { RequestContext } from './request-context.js';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  InboundApi,
  StreamPart,
} from './gateway-request.js';

/**
 * The whole journey of one request, top to bottom. Each stage is a call into its own module;
 * nothing here knows a wire format or a vendor.
 */

export type ChatOutcome =
  | { kind: 'response'; response: ChatResponse }
  | { kind: 'stream'; parts: AsyncIterable<StreamPart> };

/**
 * The caller's principal, or a 401. Routes call this before decoding the body, so an
 * unauthenticated caller learns nothing about what a valid request looks like.
 */
export function authenticate(runtime: GatewayRuntime, context: RequestContext): Principal {
  if (context.principal) return context.principal;
  const principal = runtime.authenticator.authenticate(context.headers);
  context.principal = principal;
  return principal;
}

/** Aliases the principal may use (GET /v1/models). */
export function visibleAliases(runtime: GatewayRuntime, principal: Principal): ModelAliasConfig[] {
  return [...runtime.aliases.values()].filter((alias) => principal.allowedModels?.includes(alias.alias) ?? true);
}

function resolveAlias(runtime: GatewayRuntime, principal: Principal, name: string, type: 'chat' | 'embedding'): ModelAliasConfig {
  const alias = runtime.aliases.get(name);
  // An alias the caller may not use is reported exactly like one that does not exist.
  if (!alias || alias.type !== type || !(principal.allowedModels?.includes(name) ?? true)) throw new ModelNotFoundError(name);
  return alias;
}

function recordTarget(runtime: GatewayRuntime, context: RequestContext, target: AliasTarget, failed: AttemptRecord[], upstreamStartedAt: number): void {
  context.deployment = target.deployment;
  context.tier = runtime.deployments.get(target.deployment)?.tier;
  context.upstreamModel = target.model;
  context.failedAttempts = failed;
  context.upstreamMs = performance.now() - upstreamStartedAt;
}

function adapterFor(runtime: GatewayRuntime, target: AliasTarget) {
  const adapter = runtime.adapters.get(target.deployment);
  if (!adapter) throw new GatewayError('internal_error', 'A target names a deployment that is not loaded.');
  return adapter;
}

/** Pulls the first part before committing to a target, so a stream that dies early fails over. */
async function openStream(parts: AsyncIterable<StreamPart>): Promise<AsyncIterable<StreamPart>> {
  const iterator = parts[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
}

/** Notes the answering model and usage as parts flow past, without buffering the stream. */
async function* observeStream(parts: AsyncIterable<StreamPart>, context: RequestContext): AsyncIterable<StreamPart> {
  for await (const part of parts) {
    if (part.type === 'start') context.responseModel = part.model;
    else if (part.type === 'usage') context.usage = part.usage;
    yield part;
  }
}

export async function runChat(runtime: GatewayRuntime, context: RequestContext, request: ChatRequest): Promise<ChatOutcome> {
  const principal = authenticate(runtime, context);
  const alias = resolveAlias(runtime, principal, request.model, 'chat');
  context.alias = alias.alias;
  const targets = orderTargets(alias.targets);
  const upstreamCall = { signal: context.signal };

  const upstreamStartedAt = performance.now();
  if (request.stream) {
    const { result, target, attempts } = await dispatchWithFailover(
      alias.alias,
      targets,
      async (candidate) =>
        openStream(await adapterFor(runtime, candidate).chatStream({ ...request, model: candidate.model }, upstreamCall)),
      context.signal,
    );
    recordTarget(runtime, context, target, attempts, upstreamStartedAt);
    return { kind: 'stream', parts: observeStream(result, context) };
  }

  const { result, target, attempts } = await dispatchWithFailover(
    alias.alias,
    targets,
    (candidate) => adapterFor(runtime, candidate).chat({ ...request, model: candidate.model }, upstreamCall),
    context.signal,
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.responseModel = result.model;
  if (result.usage) context.usage = result.usage;
  return { kind: 'response', response: result };
}

export async function runEmbeddings(
  runtime: GatewayRuntime,
  context: RequestContext,
  request: EmbeddingRequest,
): Promise<EmbeddingResponse> {
  const principal = authenticate(runtime, context);
  const alias = resolveAlias(runtime, principal, request.model, 'embedding');
  context.alias = alias.alias;
  const upstreamStartedAt = performance.now();
  const { result, target, attempts } = await dispatchWithFailover(
    alias.alias,
    orderTargets(alias.targets),
    (candidate) => adapterFor(runtime, candidate).embed({ ...request, model: candidate.model }, { signal: context.signal }),
    context.signal,
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.usage = { inputTokens: result.usage.inputTokens, outputTokens: 0 };
  return result;
}
