import { randomUUID } from 'node:crypto';
import type { Principal } from '../model/principal.js';
import type { Usage } from '../model/usage.js';
import { attributionTags, parseTagsHeader, TAGS_HEADER } from './attribution-tags.js';
import type { BudgetReservation } from './budget-enforcer.js';
import { usdToMicros } from './budget-ledger.js';
import type { MeteringRuntime } from './metering-runtime.js';
import { costOfUsage, maxCostOf } from './price-table.js';
import { validateUsage, type UsageAllowance, type UsageAnomaly } from './validate-usage.js';

/** More output than any model generates per answer; the sanity bound when no cap was sent. */
export const UNCAPPED_OUTPUT_BOUND = 1_000_000;

/** The metering state of one request between dispatch and response. */
export interface MeteredRequest {
  tags: Record<string, string>;
  maxCostUsd: number;
  reservation: BudgetReservation;
  /** The worst case the reservation was sized for; usage beyond it is clamped. */
  allowance: UsageAllowance;
  /**
   * The output cap per choice the gateway must send when the client set none: the reservation
   * assumed `default_max_output_tokens`, and a budget only holds if the upstream cannot exceed it.
   * Undefined when the client set a cap or no budget applies (nothing is imposed then).
   */
  imposedMaxOutputTokens?: number;
  /** Impossible usage counts found so far (for the audit record). */
  anomalies: UsageAnomaly[];
  /** Set at settlement when the serving deployment had no price. */
  unpriced?: boolean;
}

/**
 * Before dispatch: work out who pays (key + `x-switchyard-tags`), the most the request can
 * cost on any target it may fail over to — input bound, every choice (`n`) × the output cap,
 * per-call charges — and reserve that on every budget that applies.
 * Throws InvalidRequestError (bad tags) or BudgetExceededError (429).
 */
export async function beginMetering(
  runtime: MeteringRuntime,
  request: {
    principal: Principal;
    headers: Record<string, string | string[] | undefined>;
    /** An upper bound on the input tokens (request-bounds.ts). */
    inputTokens: number;
    maxOutputTokens?: number;
    /** Completions asked for (`n`); default 1. Embeddings: 0 output. */
    choices?: number;
    targets: readonly { deployment: string; model: string }[];
  },
): Promise<MeteredRequest> {
  const tags = attributionTags(request.principal, parseTagsHeader(request.headers[TAGS_HEADER], runtime.tagLimits));
  const maxOutput = request.maxOutputTokens ?? runtime.config.default_max_output_tokens;
  const choices = request.choices ?? 1;
  const allowance: UsageAllowance = { inputTokens: request.inputTokens, outputTokens: maxOutput * choices };
  const maxCostUsd = Math.max(
    0,
    ...request.targets.map((target) => maxCostOf(allowance.inputTokens, allowance.outputTokens, runtime.prices.priceFor(target.deployment, target.model))),
  );
  const reservation = await runtime.budgets.reserve(
    {
      keyId: request.principal.id,
      tags,
      ...(request.principal.team ? { team: request.principal.team } : {}),
      ...(request.principal.department ? { department: request.principal.department } : {}),
    },
    maxCostUsd,
  );
  const uncapped = request.maxOutputTokens === undefined;
  if (uncapped && reservation.budgetIds.length === 0) {
    // Nothing reserved and no cap to impose: only truly absurd output counts are clamped.
    return { tags, maxCostUsd, reservation, allowance: { ...allowance, outputTokens: UNCAPPED_OUTPUT_BOUND * choices }, anomalies: [] };
  }
  return { tags, maxCostUsd, reservation, allowance, ...(uncapped ? { imposedMaxOutputTokens: maxOutput } : {}), anomalies: [] };
}

/**
 * Clamps the upstream's usage to the allowance (see validate-usage.ts), remembers what was wrong
 * for the audit record and tells subscribers. Call it where usage enters the gateway, so the
 * client sees the clamped numbers too; calling it again on clamped usage changes nothing.
 */
export function checkUsage(runtime: MeteringRuntime, metered: MeteredRequest, usage: Usage, where: { requestId: string; deployment: string }): Usage {
  const result = validateUsage(usage, metered.allowance);
  for (const anomaly of result.anomalies) {
    metered.anomalies.push(anomaly);
    runtime.emit({ type: 'usage-clamped', requestId: where.requestId, deployment: where.deployment, anomaly });
  }
  return result.anomalies.length === 0 ? usage : result.usage;
}

/**
 * After the response (or the end of the stream): price the actual usage, settle the budget
 * reservation and record the spend event. Returns the cost and the usage as charged. On a
 * failed request call `metered.reservation.release()` instead.
 */
export async function finishMetering(
  runtime: MeteringRuntime,
  metered: MeteredRequest,
  result: { requestId: string; principal: Principal; usage: Usage; deployment: string; model: string; alias?: string; tier?: string; time?: Date },
): Promise<{ costUsd: number; usage: Usage; priced: boolean }> {
  const usage = checkUsage(runtime, metered, result.usage, result);
  const price = runtime.prices.priceFor(result.deployment, result.model);
  const costUsd = costOfUsage(usage, price);
  // An unpriced on-prem deployment is paid by its fixed costs; anything else is a gap in the price list.
  const unpriced = price === undefined && runtime.tierOf(result.deployment) !== 'on-prem';
  if (unpriced) runtime.emit({ type: 'unpriced', deployment: result.deployment, model: result.model });
  if (usdToMicros(costUsd) > usdToMicros(metered.maxCostUsd) && metered.reservation.budgetIds.length > 0) {
    // Settled at the real cost regardless: hiding spend would be worse than exceeding a hold.
    runtime.emit({
      type: 'over-reservation',
      requestId: result.requestId,
      deployment: result.deployment,
      budgetIds: metered.reservation.budgetIds,
      reservedUsd: metered.maxCostUsd,
      actualUsd: costUsd,
    });
  }
  await metered.reservation.settle(costUsd);
  await runtime.spend.record({
    id: randomUUID(),
    time: (result.time ?? new Date()).toISOString(),
    requestId: result.requestId,
    principalId: result.principal.id,
    ...(result.principal.team ? { team: result.principal.team } : {}),
    ...(result.principal.department ? { department: result.principal.department } : {}),
    ...(result.alias ? { alias: result.alias } : {}),
    ...(result.tier ? { tier: result.tier } : {}),
    deployment: result.deployment,
    model: result.model,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    ...(usage.cachedInputTokens === undefined ? {} : { cachedInputTokens: usage.cachedInputTokens }),
    ...(usage.cacheWriteInputTokens === undefined ? {} : { cacheWriteInputTokens: usage.cacheWriteInputTokens }),
    estimated: usage.estimated === true,
    costMicros: usdToMicros(costUsd),
    ...(unpriced ? { unpriced: true } : {}),
    tags: metered.tags,
  });
  return { costUsd, usage, priced: !unpriced };
}
