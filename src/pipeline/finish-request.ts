import { buildAuditRecord } from '../audit/build-audit-record.js';
import type { AuditGuard } from '../audit/audit-record.js';
import type { GuardDecision } from '../guard/guard-decision.js';
import { GatewayError } from '../errors/gateway-error.js';
import { finishMetering } from '../metering/meter-request.js';
import { resolveUsage, estimateTextTokens } from '../metering/count-tokens.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';
import { releaseAuditFacts } from './select-release.js';

/**
 * The last stage of every request, allowed or refused: settle the budget reservation with the
 * real cost, then write the audit record durably. It runs before the response (or the stream's
 * last event) is sent, so a client never holds an answer the ledger does not. A failed audit
 * write turns the outcome into 503 `audit_unavailable` (fail closed). Each journey (run-chat.ts,
 * run-embeddings.ts, run-count-tokens.ts, run-models.ts) calls it exactly once, in its `finally`.
 */
export async function finishRequest(runtime: GatewayRuntime, context: RequestContext, httpStatus: number): Promise<void> {
  await settleMetering(runtime, context);
  const audit = runtime.services.audit;
  if (!audit || context.inbound === undefined) return;
  const decision = context.policy;
  const record = buildAuditRecord(
    {
      requestId: context.requestId,
      inbound: context.inbound,
      ...(context.principal ? { principal: context.principal } : {}),
      ...(context.clientAddress ? { clientAddress: context.clientAddress } : {}),
      ...(context.alias ? { alias: context.alias } : {}),
      ...(context.deployment ? { deployment: context.deployment } : {}),
      ...(context.tier ? { tier: context.tier } : {}),
      ...(context.responseModel ?? context.upstreamModel ? { upstreamModel: context.responseModel ?? context.upstreamModel } : {}),
      ...(context.stream ? { stream: true } : {}),
      ...(context.release ? releaseAuditFacts(context.release) : {}),
      ...(decision
        ? { dataClass: decision.dataClass, entities: decision.entities, ruleMatched: decision.rule, maskingApplied: decision.mask.types.length > 0 }
        : {}),
      ...(context.guard ? guardFacts(context.guard) : {}),
    },
    {
      startedAt: context.receivedAt.getTime(),
      httpStatus,
      ...(context.error ? { error: context.error } : context.stream?.error ? { error: context.stream.error } : {}),
      ...(context.failedAttempts.length > 0 ? { attempts: context.failedAttempts } : {}),
      ...(context.ttftMs !== undefined ? { firstByteAt: context.receivedAt.getTime() + context.ttftMs } : {}),
      ...(context.usage ? { usage: context.usage } : {}),
      ...(context.costUsd !== undefined ? { costUsd: context.costUsd } : {}),
      ...(context.metered ? { tags: context.metered.tags, usageClamped: context.metered.anomalies, unpriced: context.metered.unpriced === true } : {}),
      ...(context.capture ? { content: context.capture } : {}),
    },
    audit.captureModeFor(decision?.dataClass),
  );
  if (context.stream && !context.stream.completed) record.status = 'incomplete';
  try {
    await audit.writer.appendDurable(record);
  } catch (error) {
    throw error instanceof GatewayError ? error : new GatewayError('audit_unavailable', 'The audit record could not be written.', { cause: error });
  }
}

/** Guard decision for the audit record: categories as `guardSignals`, the full verdict as `guard`. */
function guardFacts(guard: GuardDecision): { guardSignals?: string[]; guard: AuditGuard } {
  const categories = [...new Set([...guard.categories, ...(guard.output ?? []).map((finding) => finding.category)])];
  return {
    ...(categories.length > 0 ? { guardSignals: categories } : {}),
    guard: {
      verdict: guard.verdict,
      action: guard.action,
      categories: guard.categories,
      scores: { ...guard.scores },
      signals: guard.signals,
      ...(guard.output ? { output: guard.output.map((finding) => ({ ...finding })) } : {}),
    },
  };
}

/** Charges the real cost (or releases the hold of a request that produced nothing). */
async function settleMetering(runtime: GatewayRuntime, context: RequestContext): Promise<void> {
  const metered = context.metered;
  if (!metered) return;
  context.metered = { ...metered };
  const answered = context.deployment !== undefined && context.principal !== undefined && (context.usage !== undefined || context.capture?.response);
  if (!answered || !context.principal || !context.deployment) {
    await metered.reservation.release();
    return;
  }
  const usage = resolveUsage(context.usage, () => ({
    inputTokens: estimateTextTokens(context.capture?.maskedRequest ?? ''),
    outputTokens: estimateTextTokens(context.capture?.maskedResponse ?? context.capture?.response ?? ''),
  }));
  context.usage = usage;
  const charged = await finishMetering(runtime.services.metering, context.metered, {
    requestId: context.requestId,
    principal: context.principal,
    usage,
    deployment: context.deployment,
    model: context.upstreamModel ?? '',
    ...(context.alias ? { alias: context.alias } : {}),
    ...(context.tier ? { tier: context.tier } : {}),
  });
  context.usage = charged.usage;
  context.costUsd = charged.costUsd;
  if (!charged.priced) context.metered.unpriced = true;
}
