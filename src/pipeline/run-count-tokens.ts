import type { ModelAliasConfig } from '../config/config-schema.js';
import { GatewayError } from '../errors/gateway-error.js';
import { permitTargetsByTier } from '../identity/authorize-request.js';
import { estimateChatInputTokens, estimateToolTokens } from '../metering/count-tokens.js';
import { applyOutboundPolicy } from '../policy/apply-outbound-policy.js';
import { isEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { withSpan } from '../observability/tracing.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { TokenCount } from '../model/token-count.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { describeTargets, type OutboundDrafts } from './outbound-drafts.js';
import type { RequestContext } from './request-context.js';
import { adapterFor, admit, authenticate, authorize, initialCapture, recordTarget, resolveAlias, tierOf, withDropList } from './run-pipeline.js';

type AliasTarget = ModelAliasConfig['targets'][number];


/**
 * POST /v1/messages/count_tokens. Counting by the provider sends the whole prompt out, so it
 * is egress like any call: authenticated, access-checked (alias, data class, tools, tiers),
 * classified and masked on exactly the body that leaves, egress-checked before the send,
 * rate-limited (one request, no tokens) and audited. It is not metered: nothing is generated.
 *
 * Only targets whose adapter can count (`countTokens`) and that this data may reach are asked,
 * in the alias's routing order with failover. Otherwise — no such target, a class that may not
 * reach its tier, a policy that refuses the request, or every counting target down — the
 * gateway counts with its own tokenizer and says so (`estimated`): a count never needs to leave,
 * so it is never refused for where the data may go.
 */
export async function runCountTokens(runtime: GatewayRuntime, context: RequestContext, asked: ChatRequest): Promise<TokenCount> {
  const principal = await authenticate(runtime, context);
  context.alias = asked.model;
  const alias = resolveAlias(runtime, principal, asked.model, 'chat');
  context.alias = alias.alias;
  const request = withDropList(alias, asked);
  const canCount = (target: AliasTarget) => runtime.adapters.get(target.deployment)?.countTokens !== undefined;
  // Counting targets describe the count call; the others their chat call, read only to classify.
  const drafts = describeTargets(runtime, alias.targets, (target) => ({ operation: canCount(target) ? 'count-tokens' : 'chat', request: { ...request, model: target.model } }));
  const policy = await withSpan(runtime.services.tracing, context.span, 'switchyard.policy', {}, () =>
    applyOutboundPolicy(runtime.policy, drafts.outbounds, { principal, alias: alias.alias, headers: context.headers }),
  );
  context.policy = policy.decision;
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, request.tools?.map((tool) => tool.name));
  context.capture = initialCapture(policy, drafts);
  await admit(runtime, context, 0);

  const estimate = (): TokenCount => ({ inputTokens: estimateChatInputTokens(request.messages) + estimateToolTokens(request.tools ?? []), source: 'estimated' });
  const candidates = countingTargets(runtime, context, alias, policy.decision, drafts, canCount);
  if (candidates.length === 0) return estimate();
  const plan = runtime.services.traffic.plan(alias, { userId: request.user ?? principal.id, department: principal.department, roles: principal.roles ?? [] }, (target) => candidates.includes(target));
  if (plan.targets.length === 0) return estimate();

  const startedAt = performance.now();
  try {
    const { result, target, attempts } = await runtime.services.traffic.dispatch(
      alias,
      plan,
      (candidate, attempt) => {
        const { adapter, body } = adapterFor(runtime, context, policy, drafts, candidate);
        if (!adapter.countTokens) throw new GatewayError('internal_error', 'A counting target lost its token counter.');
        return adapter.countTokens({ ...request, model: candidate.model }, { signal: attempt.signal, body });
      },
      context.signal,
      { mode: 'unary' },
    );
    recordTarget(runtime, context, target, attempts, startedAt);
    return { inputTokens: result.inputTokens, source: 'upstream' };
  } catch (error) {
    // The provider being down does not make the question unanswerable; a bad request does.
    if (!(error instanceof GatewayError) || !error.retryable || error.code === 'upstream_bad_request') throw error;
    context.failedAttempts = error.attempts ?? [];
    return estimate();
  }
}

/** Targets that can count, whose count body was described, and that this principal's data may reach. */
function countingTargets(
  runtime: GatewayRuntime,
  context: RequestContext,
  alias: ModelAliasConfig,
  decision: PolicyDecision,
  drafts: OutboundDrafts,
  canCount: (target: AliasTarget) => boolean,
): AliasTarget[] {
  if (decision.action !== 'allow') return [];
  const tier = (target: AliasTarget) => tierOf(runtime, target.deployment);
  const principal = context.principal;
  const keyTiers = principal?.allowedTiers;
  let reachable = alias.targets.filter(
    (target) =>
      canCount(target) &&
      typeof drafts.indexOf(target) === 'number' &&
      isEgressAllowed(decision, { id: target.deployment, tier: tier(target) }) &&
      (keyTiers === undefined || keyTiers.includes(tier(target) ?? '')),
  );
  if (runtime.rolesEnforced && principal && reachable.length > 0) {
    try {
      reachable = permitTargetsByTier(runtime.identity.policy, principal, reachable, tier);
    } catch {
      // No tier this principal may use can count: counted locally instead.
      return [];
    }
  }
  return reachable;
}
