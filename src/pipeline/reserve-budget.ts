import { beginMetering } from '../metering/meter-request.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { AliasTarget } from './plan-targets.js';
import type { RequestContext } from './request-context.js';

/** What the budget hold is sized from. */
export interface BudgetHold {
  inputTokens: number;
  maxOutputTokens: number | undefined;
  choices: number;
}

/** Holds the most this request can cost on any target it may reach (every `n` choice included), against every budget that applies. */
export async function reserveBudget(runtime: GatewayRuntime, context: RequestContext, plan: RoutePlan<AliasTarget>, hold: BudgetHold): Promise<void> {
  if (!context.principal) return;
  context.metered = await beginMetering(runtime.services.metering, {
    principal: context.principal,
    headers: context.headers,
    inputTokens: hold.inputTokens,
    ...(hold.maxOutputTokens !== undefined ? { maxOutputTokens: hold.maxOutputTokens } : {}),
    choices: hold.choices,
    targets: plan.targets,
  });
}

/**
 * With a budget to protect and no cap from the client, the upstream is told the output cap the
 * reservation assumes, so it cannot bill more than was reserved.
 */
export function withOutputCap(runtime: GatewayRuntime, request: ChatRequest): ChatRequest {
  const metering = runtime.services.metering.config;
  if (request.maxTokens !== undefined || metering.budgets.length === 0) return request;
  return { ...request, maxTokens: metering.default_max_output_tokens };
}

/** Placeholders can be longer than the values they replace: a generous token allowance per masked entity. */
export function maskingAllowance(decision: PolicyDecision): number {
  let entities = 0;
  for (const count of Object.values(decision.entities)) entities += count;
  return entities * 24;
}
