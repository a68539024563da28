import type { RequestSummary } from '../model/request-summary.js';
import type { RequestContext } from './request-context.js';

/** Shared by every summary without failed attempts (the array is read-only to observers). */
const NO_ATTEMPTS: readonly never[] = Object.freeze([]);

/**
 * The context of a finished call, flattened into the summary observers read: they never see the
 * context itself (which later stages may still be filling in), only this final copy. Built on
 * every call, so written as assignments rather than conditional spreads (each spread allocated a
 * throw-away object).
 */
export function summarizeRequest(context: RequestContext, status: number, now: number = performance.now()): RequestSummary {
  const decision = context.policy;
  const error = context.error;
  const guard = context.guard;
  const principal = context.principal;
  const usage = context.usage;
  const summary: RequestSummary = { requestId: context.requestId, inbound: context.inbound, status: 0, durationMs: 0, failedAttempts: NO_ATTEMPTS, streamed: false };
  if (context.route) {
    summary.method = context.route.method;
    summary.route = context.route.url;
  }
  summary.status = status;
  summary.durationMs = now - context.startedAt;
  if (principal) {
    summary.principalId = principal.id;
    if (principal.department !== undefined) summary.department = principal.department;
  }
  if (context.alias !== undefined) summary.alias = context.alias;
  if (context.deployment !== undefined) summary.deployment = context.deployment;
  if (context.tier !== undefined) summary.tier = context.tier;
  if (context.responseModel !== undefined) summary.responseModel = context.responseModel;
  if (context.variant !== undefined) summary.variant = context.variant;
  if (decision) {
    summary.policy = { action: decision.action, rule: decision.rule, dataClass: decision.dataClass, entities: { ...decision.entities }, maskedTypes: [...decision.mask.types] };
  }
  // Served: the failed tries before the one that answered; refused after trying: the error's trail.
  const failed = context.failedAttempts.length > 0 ? context.failedAttempts : error?.attempts;
  if (failed !== undefined && failed.length > 0) summary.failedAttempts = [...failed];
  if (error) summary.errorCode = error.code;
  summary.streamed = context.stream !== undefined;
  if (context.stream) {
    summary.streamCompleted = context.stream.completed;
    if (context.stream.error) summary.streamErrorCode = context.stream.error.code;
  }
  if (context.upstreamMs !== undefined) summary.upstreamMs = context.upstreamMs;
  if (context.ttftMs !== undefined) summary.ttftMs = context.ttftMs;
  if (usage) summary.usage = { ...usage };
  if (context.costUsd !== undefined) summary.costUsd = context.costUsd;
  if (context.quality) summary.quality = { ...context.quality };
  if (guard) {
    summary.guard = {
      input: guard.categories.flatMap((category) => (guard.actions[category] === undefined ? [] : [{ category, action: guard.actions[category] as string }])),
      output: (guard.output ?? []).map((finding) => ({ category: finding.category, action: finding.action })),
    };
  }
  if (context.release) summary.release = { id: context.release.releaseId, role: context.release.role };
  return summary;
}
