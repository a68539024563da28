import { randomUUID } from 'node:crypto';
import type { Principal } from '../identity/principal.js';
import type { Usage } from '../pipeline/gateway-request.js';
import { attributionTags, parseTagsHeader, TAGS_HEADER } from './attribution-tags.js';
import type { BudgetReservation } from './budget-enforcer.js';
import { usdToMicros } from './budget-ledger.js';
import type { MeteringRuntime } from './metering-runtime.js';
import { costOfUsage, maxCostOf } from './price-table.js';

/** The metering state of one request between dispatch and response. */
export interface MeteredRequest {
  tags: Record<string, string>;
  maxCostUsd: number;
  reservation: BudgetReservation;
}

/**
 * Before dispatch: work out who pays (key + `x-switchyard-tags`), the most the request can
 * cost on any target it may fail over to, and reserve that on every budget that applies.
 * Throws InvalidRequestError (bad tags) or BudgetExceededError (429).
 */
export async function beginMetering(
  runtime: MeteringRuntime,
  request: {
    principal: Principal;
    headers: Record<string, string | string[] | undefined>;
    inputTokens: number;
    maxOutputTokens?: number;
    targets: readonly { deployment: string; model: string }[];
  },
): Promise<MeteredRequest> {
  const tags = attributionTags(request.principal, parseTagsHeader(request.headers[TAGS_HEADER], runtime.tagLimits));
  const maxOutput = request.maxOutputTokens ?? runtime.config.default_max_output_tokens;
  const maxCostUsd = Math.max(
    0,
    ...request.targets.map((target) => maxCostOf(request.inputTokens, maxOutput, runtime.prices.priceFor(target.deployment, target.model))),
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
  return { tags, maxCostUsd, reservation };
}

/**
 * After the response (or the end of the stream): price the actual usage, settle the budget
 * reservation and record the spend event. Returns the cost for the audit record. On a failed
 * request call `metered.reservation.release()` instead.
 */
export async function finishMetering(
  runtime: MeteringRuntime,
  metered: MeteredRequest,
  result: { requestId: string; principal: Principal; usage: Usage; deployment: string; model: string; alias?: string; tier?: string; time?: Date },
): Promise<{ costUsd: number }> {
  const costUsd = costOfUsage(result.usage, runtime.prices.priceFor(result.deployment, result.model));
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
    inputTokens: result.usage.inputTokens,
    outputTokens: result.usage.outputTokens,
    ...(result.usage.cachedInputTokens === undefined ? {} : { cachedInputTokens: result.usage.cachedInputTokens }),
    estimated: result.usage.estimated === true,
    costMicros: usdToMicros(costUsd),
    tags: metered.tags,
  });
  return { costUsd };
}
