import type { ModelAliasConfig } from '../config/config-schema.js';
import { GatewayError, ModelNotFoundError, type AttemptRecord } from '../errors/gateway-error.js';
import type { Principal } from '../identity/principal.js';
import { authorizeModelRequest, permitTargetsByTier } from '../identity/authorize-request.js';
import { beginMetering } from '../metering/meter-request.js';
import { estimateChatInputTokens } from '../metering/count-tokens.js';
import { extractSegments } from '../policy/request-text.js';
import { applyPolicy, applyPolicyToEmbeddings } from '../policy/apply-policy.js';
import { allowedTargets, assertEgressAllowed, isEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { rateLimitedError, rateLimitHeaders } from '../routing/rate-limit-headers.js';
import { resolveRateLimitRules } from '../routing/rate-limiter.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import { withSpan } from '../observability/tracing.js';
import { responseQuality } from './response-quality.js';
import { selectRelease } from './select-release.js';
import { startTrace, traceAttempt } from './request-tracing.js';
import { captureRestored, observeStream, openStream } from './stream-taps.js';
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
export async function authenticate(runtime: GatewayRuntime, context: RequestContext): Promise<Principal> {
  if (context.principal) return context.principal;
  // The audit store being down refuses new work up front (fail closed) rather than after the upstream call.
  runtime.services.audit?.assertHealthy();
  const principal = await runtime.identity.authenticator.authenticate({ headers: context.headers, clientAddress: context.clientAddress });
  context.principal = principal;
  return principal;
}

function keyAllows(principal: Principal, alias: string): boolean {
  return principal.allowedModels?.includes(alias) ?? true;
}

/** Aliases the principal may use (GET /v1/models). */
export function visibleAliases(runtime: GatewayRuntime, principal: Principal): ModelAliasConfig[] {
  return [...runtime.aliases.values()].filter(
    (alias) => keyAllows(principal, alias.alias) && (!runtime.rolesEnforced || runtime.identity.policy.decide(principal, { model: alias.alias }).allowed),
  );
}

function resolveAlias(runtime: GatewayRuntime, principal: Principal, name: string, type: 'chat' | 'embedding'): ModelAliasConfig {
  const alias = runtime.aliases.get(name);
  // An alias the key may not use is reported exactly like one that does not exist.
  if (!alias || alias.type !== type || !keyAllows(principal, name)) throw new ModelNotFoundError(name);
  return alias;
}

/**
 * Role-based access, once roles are configured: may this principal use the alias, send data of
 * this class, call these tools? A refusal is a 403 with a specific code (and is audited).
 */
function authorize(runtime: GatewayRuntime, principal: Principal, alias: string, dataClass: string, tools: string[] | undefined): void {
  if (!runtime.rolesEnforced) return;
  authorizeModelRequest(runtime.identity.policy, principal, { model: alias, dataClass, ...(tools ? { tools } : {}) });
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
  const principal = context.principal;
  const policyAllowed = allowedTargets(decision, alias.targets, tier, `'${alias.alias}'`);
  // The principal's tiers (role grants, the key's own list) narrow the policy's further.
  const permitted = new Set(
    runtime.rolesEnforced && principal ? permitTargetsByTier(runtime.identity.policy, principal, policyAllowed, (target) => tier(target.deployment)) : policyAllowed,
  );
  const keyTiers = principal?.allowedTiers;
  const plan = runtime.services.traffic.plan(
    alias,
    { userId: user ?? principal?.id, department: principal?.department, roles: principal?.roles ?? [] },
    (target) =>
      permitted.has(target) &&
      (keyTiers === undefined || keyTiers.includes(tier(target.deployment) ?? '')) &&
      isEgressAllowed(decision, { id: target.deployment, tier: tier(target.deployment) }),
  );
  if (plan.targets.length === 0 && plan.excluded.length > 0 && keyTiers !== undefined) {
    throw new GatewayError('permission_denied', `This key may not use the tiers that serve '${alias.alias}'.`);
  }
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

/** Holds the most this request can cost on any target it may reach, against every budget that applies. */
async function reserveBudget(runtime: GatewayRuntime, context: RequestContext, plan: RoutePlan<AliasTarget>, inputTokens: () => number, maxOutputTokens: number | undefined): Promise<void> {
  if (!context.principal) return;
  // Tokenizing the prompt only matters when a budget needs the request's maximum cost.
  const budgeted = runtime.loaded.config.metering.budgets.length > 0;
  context.metered = await beginMetering(runtime.services.metering, {
    principal: context.principal,
    headers: context.headers,
    inputTokens: budgeted ? inputTokens() : 0,
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    targets: plan.targets,
  });
}

function joinedText(request: ChatRequest): string {
  return extractSegments(request).map((segment) => segment.text).join('\n');
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

export async function runChat(runtime: GatewayRuntime, context: RequestContext, asked: ChatRequest): Promise<ChatOutcome> {
  startTrace(runtime, context, 'chat', asked.model, asked);
  const principal = await authenticate(runtime, context);
  // What the client asked for, kept for the audit record even when it does not exist.
  context.alias = asked.model;
  const configured = resolveAlias(runtime, principal, asked.model, 'chat');
  context.alias = configured.alias;
  // The serving release (production, canary or an evaluation pin) fixes targets and renders the template.
  const { alias, request } = await selectRelease(runtime, context, principal, configured, asked);

  const policy = await withSpan(runtime.services.tracing, context.span, 'switchyard.policy', {}, () =>
    applyPolicy(runtime.policy, request, { principal, alias: alias.alias, headers: context.headers }),
  );
  context.policy = policy.decision;
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, request.tools?.map((tool) => tool.name));
  context.capture = { request: joinedText(request), maskedRequest: joinedText(policy.request) };
  const plan = planTargets(runtime, context, alias, policy.decision, request.user);
  await admit(runtime, context, estimateTokens(request));
  await reserveBudget(runtime, context, plan, () => estimateChatInputTokens(policy.request.messages), request.maxTokens);

  const outbound = policy.request;
  const traffic = runtime.services.traffic;
  const upstreamStartedAt = performance.now();
  if (request.stream) {
    const { result, target, attempts } = await traffic.dispatch(
      alias,
      plan,
      (candidate, attempt) =>
        traceAttempt(runtime, context, 'chat', candidate, async () =>
          openStream(await adapterFor(runtime, policy.decision, candidate).chatStream({ ...outbound, model: candidate.model }, { signal: attempt.signal })),
        ),
      context.signal,
      { mode: 'stream' },
    );
    recordTarget(runtime, context, target, attempts, upstreamStartedAt);
    return { kind: 'stream', parts: captureRestored(policy.restoreStream(observeStream(result, context, runtime)), context) };
  }

  const { result, target, attempts } = await traffic.dispatch(
    alias,
    plan,
    (candidate, attempt) =>
      traceAttempt(runtime, context, 'chat', candidate, () =>
        adapterFor(runtime, policy.decision, candidate).chat({ ...outbound, model: candidate.model }, { signal: attempt.signal }),
      ),
    context.signal,
    { mode: 'unary' },
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.responseModel = result.model;
  if (result.usage) context.usage = result.usage;
  const restored = policy.restoreResponse(result);
  const first = restored.choices[0];
  context.capture.maskedResponse = result.choices[0]?.message.content ?? '';
  context.capture.response = first?.message.content ?? '';
  context.quality = responseQuality(context.capture.response, { contentFiltered: first?.finishReason === 'content_filter', refusal: first?.message.refusal ?? null });
  return { kind: 'response', response: restored };
}

export async function runEmbeddings(runtime: GatewayRuntime, context: RequestContext, request: EmbeddingRequest): Promise<EmbeddingResponse> {
  startTrace(runtime, context, 'embeddings', request.model);
  const principal = await authenticate(runtime, context);
  context.alias = request.model;
  const alias = resolveAlias(runtime, principal, request.model, 'embedding');
  context.alias = alias.alias;
  const policy = await withSpan(runtime.services.tracing, context.span, 'switchyard.policy', {}, () =>
    applyPolicyToEmbeddings(runtime.policy, request, { principal, alias: alias.alias, headers: context.headers }),
  );
  context.policy = policy.decision;
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, undefined);
  context.capture = { request: request.input.join('\n'), maskedRequest: policy.request.input.join('\n') };
  const plan = planTargets(runtime, context, alias, policy.decision, request.user);
  const inputTokens = Math.ceil(request.input.reduce((sum, text) => sum + text.length, 0) / 3);
  await admit(runtime, context, inputTokens);
  await reserveBudget(runtime, context, plan, () => inputTokens, 0);
  const upstreamStartedAt = performance.now();
  const { result, target, attempts } = await runtime.services.traffic.dispatch(
    alias,
    plan,
    (candidate, attempt) =>
      traceAttempt(runtime, context, 'embeddings', candidate, () =>
        adapterFor(runtime, policy.decision, candidate).embed({ ...policy.request, model: candidate.model }, { signal: attempt.signal }),
      ),
    context.signal,
    { mode: 'unary' },
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.usage = { inputTokens: result.usage.inputTokens, outputTokens: 0 };
  return result;
}
