import type { RequestSummary } from '../model/request-summary.js';
import type { RequestContext } from './request-context.js';

/**
 * The context of a finished call, flattened into the summary observers read: they never see the
 * context itself (which later stages may still be filling in), only this final copy.
 */
export function summarizeRequest(context: RequestContext, status: number, now: number = performance.now()): RequestSummary {
  const decision = context.policy;
  const error = context.error;
  const guard = context.guard;
  const principal = context.principal;
  const usage = context.usage;
  return {
    requestId: context.requestId,
    inbound: context.inbound,
    ...(context.route ? { method: context.route.method, route: context.route.url } : {}),
    status,
    durationMs: now - context.startedAt,
    ...(principal ? { principalId: principal.id, ...(principal.department !== undefined ? { department: principal.department } : {}) } : {}),
    ...(context.alias !== undefined ? { alias: context.alias } : {}),
    ...(context.deployment !== undefined ? { deployment: context.deployment } : {}),
    ...(context.tier !== undefined ? { tier: context.tier } : {}),
    ...(context.responseModel !== undefined ? { responseModel: context.responseModel } : {}),
    ...(context.variant !== undefined ? { variant: context.variant } : {}),
    ...(decision
      ? { policy: { action: decision.action, rule: decision.rule, dataClass: decision.dataClass, entities: { ...decision.entities }, maskedTypes: [...decision.mask.types] } }
      : {}),
    // Served: the failed tries before the one that answered; refused after trying: the error's trail.
    failedAttempts: context.failedAttempts.length > 0 ? [...context.failedAttempts] : [...(error?.attempts ?? [])],
    ...(error ? { errorCode: error.code } : {}),
    streamed: context.stream !== undefined,
    ...(context.stream ? { streamCompleted: context.stream.completed, ...(context.stream.error ? { streamErrorCode: context.stream.error.code } : {}) } : {}),
    ...(context.upstreamMs !== undefined ? { upstreamMs: context.upstreamMs } : {}),
    ...(context.ttftMs !== undefined ? { ttftMs: context.ttftMs } : {}),
    ...(usage ? { usage: { ...usage } } : {}),
    ...(context.costUsd !== undefined ? { costUsd: context.costUsd } : {}),
    ...(context.quality ? { quality: { ...context.quality } } : {}),
    ...(guard
      ? {
          guard: {
            input: guard.categories.flatMap((category) => (guard.actions[category] === undefined ? [] : [{ category, action: guard.actions[category] as string }])),
            output: (guard.output ?? []).map((finding) => ({ category: finding.category, action: finding.action })),
          },
        }
      : {}),
    ...(context.release ? { release: { id: context.release.releaseId, role: context.release.role } } : {}),
  };
}
