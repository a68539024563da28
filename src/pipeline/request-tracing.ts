import { ATTEMPT, hasSubscribers, POLICY, publish, REQUEST_START } from '../observability/channels.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { AttemptEvent as RoutingAttempt } from '../routing/resilient-dispatch.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { AliasTarget } from './plan-targets.js';
import type { RequestContext } from './request-context.js';

/**
 * What the pipeline tells tracing, as events on observability/channels.ts: the call started, the
 * policy stage ran, each upstream attempt ran (routing reports it; the pipeline adds the request). Tracing (observability/trace-subscriber.ts) turns
 * them into spans; the pipeline holds no span and knows no tracer.
 */

const codeOf = (error: unknown): string => (error instanceof GatewayError ? error.code : error instanceof Error ? error.name : 'error');

export function startTrace(runtime: GatewayRuntime, context: RequestContext, operation: 'chat' | 'embeddings', model: string, request?: ChatRequest): void {
  publish(REQUEST_START, () => ({
    source: runtime.services,
    requestId: context.requestId,
    operation,
    model,
    ...(request?.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
    ...(request?.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request?.topP !== undefined ? { topP: request.topP } : {}),
  }));
}

/** Runs the policy stage and reports its timing (and failure). */
export async function tracePolicy<T>(runtime: GatewayRuntime, context: RequestContext, work: () => Promise<T>): Promise<T> {
  if (!hasSubscribers(POLICY)) return work();
  const startedAt = performance.now();
  try {
    const result = await work();
    publish(POLICY, () => ({ source: runtime.services, requestId: context.requestId, startedAt, endedAt: performance.now() }));
    return result;
  } catch (error) {
    publish(POLICY, () => ({ source: runtime.services, requestId: context.requestId, startedAt, endedAt: performance.now(), errorCode: codeOf(error) }));
    throw error;
  }
}

/**
 * Routing's report of one attempt (traffic-control's `onAttempt`), with what this request adds:
 * the request id, the upstream model and provider. Published on `switchyard:attempt`.
 */
export function publishAttempt(runtime: GatewayRuntime, context: RequestContext, operation: 'chat' | 'embeddings', route: { plan: { targets: readonly AliasTarget[] } }, event: RoutingAttempt): void {
  const endedAt = performance.now();
  const deployment = runtime.deployments.get(event.deployment);
  publish(ATTEMPT, () => ({
    source: runtime.services,
    requestId: context.requestId,
    operation,
    deployment: event.deployment,
    model: route.plan.targets.find((target) => target.deployment === event.deployment)?.model ?? 'unknown',
    ...(deployment?.tier !== undefined ? { tier: deployment.tier } : {}),
    ...(deployment?.provider !== undefined ? { provider: deployment.provider } : {}),
    attemptNumber: event.attemptNumber,
    outcome: event.outcome,
    startedAt: endedAt - event.durationMs,
    endedAt,
    ...(event.failure ? { errorCode: event.failure.code } : {}),
  }));
}
