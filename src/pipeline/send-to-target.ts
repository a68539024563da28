import { GatewayError, type AttemptRecord } from '../errors/gateway-error.js';
import { checkUsage } from '../metering/meter-request.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../model/embedding.js';
import type { StreamPart } from '../model/stream-part.js';
import type { RelayPart } from '../model/relay-part.js';
import type { UpstreamStreamFormat } from '../wire/dialect.js';
import type { Usage } from '../model/usage.js';
import { OutboundUnverifiedError, type OutboundPolicy } from '../policy/apply-outbound-policy.js';
import { assertEgressAllowed } from '../policy/egress-guard.js';
import { EgressDeniedError } from '../policy/policy-errors.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { OutboundDrafts } from './outbound-drafts.js';
import { tierOf, type AliasTarget } from './plan-targets.js';
import type { RequestContext } from './request-context.js';
import { publishAttempt } from './request-tracing.js';
import { ATTEMPT, hasSubscribers } from '../observability/channels.js';
import { openStream } from './stream-taps.js';
import type { ModelAliasConfig } from '../routing/model-alias-schema.js';

/** What sending needs of the policy stage (the guard wraps the rest). */
export type SealingPolicy = Pick<OutboundPolicy, 'decision' | 'seal' | 'readText'>;

/** Everything dispatch needs for one request: where it may go and what leaves for each target. */
export interface Dispatch {
  alias: ModelAliasConfig;
  plan: RoutePlan<AliasTarget>;
  policy: SealingPolicy;
  drafts: OutboundDrafts;
}

/**
 * The egress invariant, enforced where the bytes leave: whatever chose this target (balancing,
 * failover, retry, a misconfiguration), the send is refused unless the decision allows its tier,
 * and the body sent is the target's own outbound body, masked and proven covered by the policy.
 */
export function sealFor(runtime: GatewayRuntime, context: RequestContext, policy: SealingPolicy, drafts: OutboundDrafts, target: AliasTarget) {
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

/** Upstream usage is untrusted: impossible counts are clamped before the client or the ledger sees them. */
export function checkedUsage(runtime: GatewayRuntime, context: RequestContext, usage: Usage): Usage {
  const metered = context.metered;
  return metered ? checkUsage(runtime.services.metering, metered, usage, { requestId: context.requestId, deployment: context.deployment ?? '' }) : usage;
}

/** Tries the plan's targets in order (retries, failover, circuit breakers) until one answers. */
async function dispatch<T>(runtime: GatewayRuntime, context: RequestContext, route: Dispatch, operation: 'chat' | 'embeddings', mode: 'stream' | 'unary', call: (target: AliasTarget, sealed: ReturnType<typeof sealFor>, signal: AbortSignal) => Promise<T>): Promise<T> {
  const upstreamStartedAt = performance.now();
  const { result, target, attempts } = await runtime.services.traffic.dispatch(
    route.alias,
    route.plan,
    (candidate, attempt) => call(candidate, sealFor(runtime, context, route.policy, route.drafts, candidate), attempt.signal),
    context.signal,
    { mode, ...(hasSubscribers(ATTEMPT) ? { onAttempt: (event) => publishAttempt(runtime, context, operation, route, event) } : {}) },
  );
  recordTarget(runtime, context, target, attempts, upstreamStartedAt);
  return result;
}

export async function dispatchChat(runtime: GatewayRuntime, context: RequestContext, route: Dispatch, request: ChatRequest): Promise<ChatResponse> {
  const result = await dispatch(runtime, context, route, 'chat', 'unary', (target, { adapter, body }, signal) => adapter.chat({ ...request, model: target.model }, { signal, body }));
  context.responseModel = result.model;
  if (result.usage) context.usage = result.usage = checkedUsage(runtime, context, result.usage);
  return result;
}

/** An opened chat stream: canonical parts, or (relay) the upstream's own events where they may pass. */
export type OpenedChatStream = { parts: AsyncIterable<StreamPart> } | { relayed: AsyncIterable<RelayPart> };

/**
 * Opens the stream on the first target that produces a first part (a stream that dies before that
 * fails over). A target whose adapter relays a format `mayRelay` accepts (asked per attempt, after
 * the body was sealed for that target) answers with its relayed stream instead.
 */
export function dispatchChatStream(runtime: GatewayRuntime, context: RequestContext, route: Dispatch, request: ChatRequest, mayRelay?: (format: UpstreamStreamFormat) => boolean): Promise<OpenedChatStream> {
  return dispatch(runtime, context, route, 'chat', 'stream', async (target, { adapter, body }, signal): Promise<OpenedChatStream> => {
    const call = { ...request, model: target.model };
    if (adapter.chatStreamRelay && adapter.relayFormat !== undefined && mayRelay?.(adapter.relayFormat)) {
      return { relayed: await openStream(await adapter.chatStreamRelay(call, { signal, body })) };
    }
    return { parts: await openStream(await adapter.chatStream(call, { signal, body })) };
  });
}

export async function dispatchEmbeddings(runtime: GatewayRuntime, context: RequestContext, route: Dispatch, request: EmbeddingRequest): Promise<EmbeddingResponse> {
  const result = await dispatch(runtime, context, route, 'embeddings', 'unary', (target, { adapter, body }, signal) => adapter.embed({ ...request, model: target.model }, { signal, body }));
  context.usage = checkedUsage(runtime, context, { inputTokens: result.usage.inputTokens, outputTokens: 0 });
  return { ...result, usage: { inputTokens: context.usage.inputTokens } };
}
