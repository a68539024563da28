import type { ModelAliasConfig } from '../config/config-schema.js';
import { GatewayError, ModelNotFoundError, WrongModelTypeError, type AttemptRecord } from '../errors/gateway-error.js';
import type { Principal } from '../model/principal.js';
import { authorizeModelRequest, permitTargetsByTier } from '../identity/authorize-request.js';
import { beginMetering, checkUsage } from '../metering/meter-request.js';
import { chatInputTokenBound, choicesOf, embeddingInputTokenBound } from '../metering/request-bounds.js';
import { applyOutboundPolicy, OutboundUnverifiedError, type OutboundPolicy } from '../policy/apply-outbound-policy.js';
import { allowedTargets, assertEgressAllowed, isEgressAllowed } from '../policy/egress-guard.js';
import { EgressDeniedError } from '../policy/policy-errors.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { rateLimitedError, rateLimitHeaders } from '../routing/rate-limit-headers.js';
import { resolveRateLimitRules } from '../routing/rate-limiter.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import { withSpan } from '../observability/tracing.js';
import { responseQuality } from './response-quality.js';
import { guardStage, withGuardCanary } from './guard-stage.js';
import { selectRelease } from './select-release.js';
import { startTrace, traceAttempt } from './request-tracing.js';
import { captureRestored, observeStream, openStream } from './stream-taps.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../model/embedding.js';
import type { StreamPart } from '../model/stream-part.js';
import { describeTargets, type OutboundDrafts } from './outbound-drafts.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

export type { RequestContext } from './request-context.js';

type AliasTarget = ModelAliasConfig['targets'][number];
/** What sending needs of the policy stage (the guard wraps the rest). */
type SealingPolicy = Pick<OutboundPolicy, 'decision' | 'seal' | 'readText'>;

/**
 * The whole journey of one request, top to bottom:
 *   authenticate → resolve alias → classify, decide, mask (policy) → guard → rate limit → plan targets
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

export function resolveAlias(runtime: GatewayRuntime, principal: Principal, name: string, type: 'chat' | 'embedding'): ModelAliasConfig {
  const alias = runtime.aliases.get(name);
  // An alias the key may not use is reported exactly like one that does not exist.
  if (!alias || !keyAllows(principal, name)) throw new ModelNotFoundError(name);
  if (alias.type !== type) throw new WrongModelTypeError(name, alias.type);
  return alias;
}

/**
 * Role-based access, once roles are configured: may this principal use the alias, send data of
 * this class, call these tools? A refusal is a 403 with a specific code (and is audited).
 */
export function authorize(runtime: GatewayRuntime, principal: Principal, alias: string, dataClass: string, tools: string[] | undefined): void {
  if (!runtime.rolesEnforced) return;
  authorizeModelRequest(runtime.identity.policy, principal, { model: alias, dataClass, ...(tools ? { tools } : {}) });
}

export function tierOf(runtime: GatewayRuntime, deployment: string): string | undefined {
  return runtime.deployments.get(deployment)?.tier;
}

/**
 * The order to try targets in: canary variant first, only deployments the policy decision lets
 * this data reach, open circuits left out. No allowed target at all is a policy refusal.
 */
function planTargets(runtime: GatewayRuntime, context: RequestContext, alias: ModelAliasConfig, decision: PolicyDecision, user: string | undefined, drafts?: OutboundDrafts): RoutePlan<AliasTarget> {
  const tier = (deployment: string) => tierOf(runtime, deployment);
  const principal = context.principal;
  const policyAllowed = allowedTargets(decision, alias.targets, tier, `'${alias.alias}'`);
  const fits = honouringTargets(policyAllowed, drafts);
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
      fits(target) &&
      (keyTiers === undefined || keyTiers.includes(tier(target.deployment) ?? '')) &&
      isEgressAllowed(decision, { id: target.deployment, tier: tier(target.deployment) }),
  );
  if (plan.targets.length === 0 && plan.excluded.length > 0 && keyTiers !== undefined) {
    throw new GatewayError('permission_denied', `This key may not use the tiers that serve '${alias.alias}'.`);
  }
  context.variant = plan.variant.variant;
  return plan;
}

/**
 * Targets whose wire cannot honour a feature of the request (`unsupported_parameter`, e.g. `seed`
 * on an Anthropic target) are left out while another allowed target can honour it; when none
 * can, the request is refused naming the feature — it is never sent without it silently.
 */
function honouringTargets(allowed: readonly AliasTarget[], drafts: OutboundDrafts | undefined): (target: AliasTarget) => boolean {
  if (drafts === undefined) return () => true;
  const unfit = (target: AliasTarget) => {
    const index = drafts.indexOf(target);
    return index instanceof GatewayError && index.code === 'unsupported_parameter' ? index : undefined;
  };
  const first = allowed.length > 0 && allowed.every((target) => unfit(target) !== undefined) ? unfit(allowed[0] as AliasTarget) : undefined;
  if (first !== undefined) throw first;
  return (target) => unfit(target) === undefined;
}

/** Admits the request against its key, team and alias limits, or refuses it with a 429. */
export async function admit(runtime: GatewayRuntime, context: RequestContext, estimatedTokens: number): Promise<void> {
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

/** Holds the most this request can cost on any target it may reach (every `n` choice included), against every budget that applies. */
async function reserveBudget(runtime: GatewayRuntime, context: RequestContext, plan: RoutePlan<AliasTarget>, inputTokens: number, maxOutputTokens: number | undefined, choices: number): Promise<void> {
  if (!context.principal) return;
  context.metered = await beginMetering(runtime.services.metering, {
    principal: context.principal,
    headers: context.headers,
    inputTokens,
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    choices,
    targets: plan.targets,
  });
}

/**
 * With a budget to protect and no cap from the client, the upstream is told the output cap the
 * reservation assumes, so it cannot bill more than was reserved.
 */
function withOutputCap(runtime: GatewayRuntime, request: ChatRequest): ChatRequest {
  const metering = runtime.services.metering.config;
  if (request.maxTokens !== undefined || metering.budgets.length === 0) return request;
  return { ...request, maxTokens: metering.default_max_output_tokens };
}

/** The alias's `drop_unsupported` travels with the request to the adapters' encoders (never upstream). */
export function withDropList(alias: ModelAliasConfig, request: ChatRequest): ChatRequest {
  const drop = alias.drop_unsupported ?? [];
  return drop.length === 0 ? request : { ...request, dropUnsupported: drop };
}

/** Placeholders can be longer than the values they replace: a generous token allowance per masked entity. */
function maskingAllowance(decision: PolicyDecision): number {
  let entities = 0;
  for (const count of Object.values(decision.entities)) entities += count;
  return entities * 24;
}

/** A cheap upper-bound estimate for token limits before the real usage is known (≈ 3 characters a token). */
function estimateTokens(request: ChatRequest): number {
  let characters = 0;
  for (const message of request.messages) for (const part of message.content) if (part.type === 'text') characters += part.text.length;
  return Math.ceil(characters / 3) + (request.maxTokens ?? 1024);
}

/**
 * The egress invariant, enforced where the bytes leave: whatever chose this target (balancing,
 * failover, retry, a misconfiguration), the send is refused unless the decision allows its tier,
 * and the body sent is the target's own outbound body, masked and proven covered by the policy.
 */
export function adapterFor(runtime: GatewayRuntime, context: RequestContext, policy: SealingPolicy, drafts: OutboundDrafts, target: AliasTarget) {
  const tier = tierOf(runtime, target.deployment);
  assertEgressAllowed(policy.decision, { id: target.deployment, tier });
  const adapter = runtime.adapters.get(target.deployment);
  if (!adapter) throw new GatewayError('internal_error', 'A target names a deployment that is not loaded.');
  const index = drafts.indexOf(target);
  if (index instanceof Error) throw index;
  try {
    const sealed = policy.seal(index);
    context.capture = { ...context.capture, ...sealed.capture };
    return { adapter, body: sealed.body };
  } catch (error) {
    if (!(error instanceof OutboundUnverifiedError)) throw error;
    throw new EgressDeniedError(target.deployment, tier ?? '(none)', error.reason, policy.decision.dataClass);
  }
}

/** Audit content before any send: what the request holds; nothing has left yet (each send replaces it). */
export function initialCapture(policy: SealingPolicy, drafts: OutboundDrafts): NonNullable<RequestContext['capture']> {
  return drafts.outbounds.length === 0 ? {} : { request: policy.readText(0), maskedRequest: '' };
}

export function recordTarget(runtime: GatewayRuntime, context: RequestContext, target: AliasTarget, failed: AttemptRecord[], upstreamStartedAt: number): void {
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

  // The budget's output cap and the guard's canary change the body, so both are settled before
  // the policy reads the bodies the adapters would send (not a view of the request).
  const guarded = withGuardCanary(runtime, withOutputCap(runtime, withDropList(alias, request)));
  const operation = request.stream ? 'chat-stream' : 'chat';
  const drafts = describeTargets(runtime, alias.targets, (target) => ({ operation, request: { ...guarded.request, model: target.model } }));
  const policy = await guardStage(runtime, context, request, principal, guarded.canary, await withSpan(runtime.services.tracing, context.span, 'switchyard.policy', {}, () =>
    applyOutboundPolicy(runtime.policy, drafts.outbounds, { principal, alias: alias.alias, headers: context.headers }),
  ));
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, request.tools?.map((tool) => tool.name));
  context.capture = initialCapture(policy, drafts);
  const plan = planTargets(runtime, context, alias, policy.decision, request.user, drafts);
  await admit(runtime, context, estimateTokens(request));
  await reserveBudget(runtime, context, plan, chatInputTokenBound(guarded.request) + maskingAllowance(policy.decision), guarded.request.maxTokens, choicesOf(request));

  const send = (candidate: AliasTarget) => adapterFor(runtime, context, policy, drafts, candidate);
  const traffic = runtime.services.traffic;
  const upstreamStartedAt = performance.now();
  if (request.stream) {
    const { result, target, attempts } = await traffic.dispatch(
      alias,
      plan,
      (candidate, attempt) =>
        traceAttempt(runtime, context, 'chat', candidate, async () => {
          const { adapter, body } = send(candidate);
          return openStream(await adapter.chatStream({ ...guarded.request, model: candidate.model }, { signal: attempt.signal, body }));
        }),
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
      traceAttempt(runtime, context, 'chat', candidate, () => {
        const { adapter, body } = send(candidate);
        return adapter.chat({ ...guarded.request, model: candidate.model }, { signal: attempt.signal, body });
      }),
    context.signal,
    { mode: 'unary' },
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  context.responseModel = result.model;
  // Upstream usage is untrusted: impossible counts are clamped before the client or the ledger sees them.
  if (result.usage) context.usage = result.usage = context.metered ? checkUsage(runtime.services.metering, context.metered, result.usage, { requestId: context.requestId, deployment: target.deployment }) : result.usage;
  const restored = await policy.restoreResponse(result);
  const first = restored.choices[0];
  const response = first?.message.content ?? '';
  context.capture = { ...context.capture, maskedResponse: result.choices[0]?.message.content ?? '', response };
  context.quality = responseQuality(response, { contentFiltered: first?.finishReason === 'content_filter', refusal: first?.message.refusal ?? null });
  return { kind: 'response', response: restored };
}

export async function runEmbeddings(runtime: GatewayRuntime, context: RequestContext, request: EmbeddingRequest): Promise<EmbeddingResponse> {
  startTrace(runtime, context, 'embeddings', request.model);
  const principal = await authenticate(runtime, context);
  context.alias = request.model;
  const alias = resolveAlias(runtime, principal, request.model, 'embedding');
  context.alias = alias.alias;
  const drafts = describeTargets(runtime, alias.targets, (target) => ({ operation: 'embeddings', request: { ...request, model: target.model } }));
  const policy = await withSpan(runtime.services.tracing, context.span, 'switchyard.policy', {}, () =>
    applyOutboundPolicy(runtime.policy, drafts.outbounds, { principal, alias: alias.alias, headers: context.headers }),
  );
  context.policy = policy.decision;
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, undefined);
  context.capture = initialCapture(policy, drafts);
  const plan = planTargets(runtime, context, alias, policy.decision, request.user);
  const inputTokens = Math.ceil(request.input.reduce((sum, text) => sum + text.length, 0) / 3);
  await admit(runtime, context, inputTokens);
  await reserveBudget(runtime, context, plan, embeddingInputTokenBound(request.input) + maskingAllowance(policy.decision), 0, 0);
  const upstreamStartedAt = performance.now();
  const { result, target, attempts } = await runtime.services.traffic.dispatch(
    alias,
    plan,
    (candidate, attempt) =>
      traceAttempt(runtime, context, 'embeddings', candidate, () => {
        const { adapter, body } = adapterFor(runtime, context, policy, drafts, candidate);
        return adapter.embed({ ...request, model: candidate.model }, { signal: attempt.signal, body });
      }),
    context.signal,
    { mode: 'unary' },
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  const usage = { inputTokens: result.usage.inputTokens, outputTokens: 0 };
  context.usage = context.metered ? checkUsage(runtime.services.metering, context.metered, usage, { requestId: context.requestId, deployment: target.deployment }) : usage;
  return { ...result, usage: { inputTokens: context.usage.inputTokens } };
}
