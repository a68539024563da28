import type { ModelAliasConfig } from '../config/config-schema.js';
import { GatewayError, ModelNotFoundError, type AttemptRecord } from '../errors/gateway-error.js';
import type { Principal } from '../identity/principal.js';
import { applyPolicy, applyPolicyToEmbeddings } from '../policy/apply-policy.js';
import { allowedTargets, assertEgressAllowed, isEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { rateLimitedError, rateLimitHeaders } from '../routing/rate-limit-headers.js';
import { resolveRateLimitRules } from '../routing/rate-limiter.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import type { ChatRequest, ChatResponse, EmbeddingRequest, EmbeddingResponse, StreamPart } from './gateway-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

export type { RequestContext } from './request-context.js';

type AliasTarget = ModelAliasConfig['targets'][number];

/**
 * The whole journey of one request, top to bottom:
 *   authenticate → resolve alias → classify, decide, mask (policy) → rate limit → plan targets
 *   (canary, policy, circuit breakers) → dispatch with retries and failover, checking egress
 *   before every send → adapter → restore placeholders → settle the rate limit.
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

/**
 * The order to try targets in: canary variant first, only deployments the policy decision lets
 * this data reach, open circuits left out. No allowed target at all is a policy refusal.
 */
function planTargets(runtime: GatewayRuntime, context: RequestContext, alias: ModelAliasConfig, decision: PolicyDecision, user: string | undefined): RoutePlan<AliasTarget> {
  const tier = (deployment: string) => tierOf(runtime, deployment);
  allowedTargets(decision, alias.targets, tier, `'${alias.alias}'`);
  const principal = context.principal;
  const plan = runtime.services.traffic.plan(
    alias,
    { userId: user ?? principal?.id, department: principal?.department, roles: principal?.roles ?? [] },
    (target) => isEgressAllowed(decision, { id: target.deployment, tier: tier(target.deployment) }),
  );
  context.variant = plan.variant.variant;
  return plan;
}

/** Admits the request against its key, team and alias limits, or refuses it with a 429. */
async function admit(runtime: GatewayRuntime, context: RequestContext, estimatedTokens: number): Promise<void> {
  const principal = context.principal;
  const rules = resolveRateLimitRules(runtime.loaded.config.rate_limits, { keyId: principal?.id, team: principal?.team, alias: context.alias });
  if (rules.length === 0) return;
  const decision = await runtime.services.limiter.check({ rules, estimatedTokens });
  context.responseHeaders = { ...context.responseHeaders, ...rateLimitHeaders(decision) };
  if (!decision.allowed) throw rateLimitedError(decision);
  if (decision.reservation) {
    const reservation = decision.reservation;
    context.onFinish.push(() => runtime.services.limiter.settle(reservation, (context.usage?.inputTokens ?? 0) + (context.usage?.outputTokens ?? 0)));
  }
}

/** A cheap upper-bound estimate for token limits before the real usage is known (≈ 3 characters a token). */
function estimateTokens(request: ChatRequest): number {
  let characters = 0;
  for (const message of request.messages) for (const part of message.content) if (part.type === 'text') characters += part.text.length;
  return Math.ceil(characters / 3) + (request.maxTokens ?? 1024);
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

/**
 * Notes the answering model and usage as parts flow past, without buffering the stream; a stream
 * that breaks after it started counts against its deployment's circuit breaker.
 */
async function* observeStream(parts: AsyncIterable<StreamPart>, context: RequestContext, runtime: GatewayRuntime): AsyncIterable<StreamPart> {
  try {
    for await (const part of parts) {
      if (part.type === 'start') context.responseModel = part.model;
      else if (part.type === 'usage') context.usage = part.usage;
      yield part;
    }
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'upstream_stream_interrupted' && context.deployment) {
      runtime.services.traffic.reportStreamFailure(context.deployment);
    }
    throw error;
  }
}

export async function runChat(runtime: GatewayRuntime, context: RequestContext, request: ChatRequest): Promise<ChatOutcome> {
  const principal = authenticate(runtime, context);
  const alias = resolveAlias(runtime, principal, request.model, 'chat');
  context.alias = alias.alias;

  const policy = await applyPolicy(runtime.policy, request, { principal, alias: alias.alias, headers: context.headers });
  context.policy = policy.decision;
  const plan = planTargets(runtime, context, alias, policy.decision, request.user);
  await admit(runtime, context, estimateTokens(request));

  const outbound = policy.request;
  const traffic = runtime.services.traffic;
  const upstreamStartedAt = performance.now();
  if (request.stream) {
    const { result, target, attempts } = await traffic.dispatch(
      alias,
      plan,
      async (candidate, attempt) =>
        openStream(await adapterFor(runtime, policy.decision, candidate).chatStream({ ...outbound, model: candidate.model }, { signal: attempt.signal })),
      context.signal,
      { mode: 'stream' },
    );
    recordTarget(runtime, context, target, attempts, upstreamStartedAt);
    return { kind: 'stream', parts: policy.restoreStream(observeStream(result, context, runtime)) };
  }

  const { result, target, attempts } = await traffic.dispatch(
    alias,
    plan,
    (candidate, attempt) => adapterFor(runtime, policy.decision, candidate).chat({ ...outbound, model: candidate.model }, { signal: attempt.signal }),
    context.signal,
    { mode: 'unary' },
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
  const plan = planTargets(runtime, context, alias, policy.decision, request.user);
  await admit(runtime, context, Math.ceil(request.input.reduce((sum, text) => sum + text.length, 0) / 3));
  const upstreamStartedAt = performance.now();
  const { result, target, attempts } = await runtime.services.traffic.dispatch(
    alias,
    plan,
    (candidate, attempt) => adapterFor(runtime, policy.decision, candidate).embed({ ...policy.request, model: candidate.model }, { signal: attempt.signal }),
    context.signal,
    { mode: 'unary' },
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.usage = { inputTokens: result.usage.inputTokens, outputTokens: 0 };
  return result;
}
