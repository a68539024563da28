import type { ModelAliasConfig } from '../config/config-schema.js';
import { GatewayError, ModelNotFoundError, type AttemptRecord } from '../errors/gateway-error.js';
import type { Principal } from '../identity/principal.js';
import { applyPolicy, applyPolicyToEmbeddings } from '../policy/apply-policy.js';
import { allowedTargets, assertEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { dispatchWithFailover } from '../routing/dispatch-with-failover.js';
import { orderTargets, type AliasTarget } from '../routing/order-targets.js';
import type { ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, StreamPart } from './gateway-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

export type { RequestContext } from './request-context.js';

/**
 * The whole journey of one request, top to bottom:
 *   authenticate → resolve alias → classify, decide, mask (policy) → route with failover,
 *   checking egress before every send → adapter → restore placeholders.
 * Each stage is a call into its own module; nothing here knows a wire format or a vendor.
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

function tierOf(runtime: GatewayRuntime, deployment: string): string | undefined {
  return runtime.deployments.get(deployment)?.tier;
}

/** The failover chain, cut down to the targets the policy decision lets this data reach. */
function candidateTargets(runtime: GatewayRuntime, alias: ModelAliasConfig, decision: PolicyDecision): AliasTarget[] {
  return allowedTargets(decision, orderTargets(alias.targets), (deployment) => tierOf(runtime, deployment), `'${alias.alias}'`);
}

/**
 * The egress invariant, enforced where the bytes leave: whatever chose this target (balancing,
 * failover, retry, a misconfiguration), the send is refused unless the decision allows its tier.
 */
function adapterFor(runtime: GatewayRuntime, decision: PolicyDecision, target: AliasTarget) {
  assertEgressAllowed(decision, { id: target.deployment, tier: tierOf(runtime, target.deployment) });
  const adapter = runtime.adapters.get(target.deployment);
  if (!adapter) throw new GatewayError('internal_error', 'A target names a deployment that is not loaded.');
  return adapter;
}

function recordTarget(runtime: GatewayRuntime, context: RequestContext, target: AliasTarget, failed: AttemptRecord[], upstreamStartedAt: number): void {
  context.deployment = target.deployment;
  context.tier = tierOf(runtime, target.deployment);
  context.upstreamModel = target.model;
  context.failedAttempts = failed;
  context.upstreamMs = performance.now() - upstreamStartedAt;
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

  const policy = await applyPolicy(runtime.policy, request, { principal, alias: alias.alias, headers: context.headers });
  context.policy = policy.decision;
  const targets = candidateTargets(runtime, alias, policy.decision);
  const outbound = policy.request;
  const upstreamCall = { signal: context.signal };
  const upstreamStartedAt = performance.now();

  if (request.stream) {
    const { result, target, attempts } = await dispatchWithFailover(
      alias.alias,
      targets,
      async (candidate) =>
        openStream(await adapterFor(runtime, policy.decision, candidate).chatStream({ ...outbound, model: candidate.model }, upstreamCall)),
      context.signal,
    );
    recordTarget(runtime, context, target, attempts, upstreamStartedAt);
    return { kind: 'stream', parts: policy.restoreStream(observeStream(result, context)) };
  }

  const { result, target, attempts } = await dispatchWithFailover(
    alias.alias,
    targets,
    (candidate) => adapterFor(runtime, policy.decision, candidate).chat({ ...outbound, model: candidate.model }, upstreamCall),
    context.signal,
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.responseModel = result.model;
  if (result.usage) context.usage = result.usage;
  return { kind: 'response', response: policy.restoreResponse(result) };
}

export async function runEmbeddings(runtime: GatewayRuntime, context: RequestContext, request: EmbeddingRequest): Promise<EmbeddingResponse> {
  const principal = authenticate(runtime, context);
  const alias = resolveAlias(runtime, principal, request.model, 'embedding');
  context.alias = alias.alias;
  const policy = await applyPolicyToEmbeddings(runtime.policy, request, { principal, alias: alias.alias, headers: context.headers });
  context.policy = policy.decision;
  const upstreamStartedAt = performance.now();
  const { result, target, attempts } = await dispatchWithFailover(
    alias.alias,
    candidateTargets(runtime, alias, policy.decision),
    (candidate) => adapterFor(runtime, policy.decision, candidate).embed({ ...policy.request, model: candidate.model }, { signal: context.signal }),
    context.signal,
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.usage = { inputTokens: result.usage.inputTokens, outputTokens: 0 };
  return result;
}
