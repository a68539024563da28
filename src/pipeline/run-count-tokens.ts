import { GatewayError } from '../errors/gateway-error.js';
import { estimateChatInputTokens, estimateToolTokens } from '../metering/count-tokens.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { Principal } from '../model/principal.js';
import type { TokenCount } from '../model/token-count.js';
import { permitPrincipalTiers } from '../identity/principal-tiers.js';
import { applyOutboundPolicy } from '../policy/apply-outbound-policy.js';
import { isEgressAllowed } from '../policy/egress-guard.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import type { RoutePlan } from '../routing/traffic-control.js';
import type { CountTokensDialect } from '../wire/dialect.js';
import { admit } from './admit.js';
import { authenticate } from './authenticate.js';
import { answer, asGatewayError, refusal } from './call-reply.js';
import { finishRequest } from './finish-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { CallReply, InboundCall } from './inbound-call.js';
import { describeTargets, type OutboundDrafts } from './outbound-drafts.js';
import { tierOf, type AliasTarget } from './plan-targets.js';
import { publishFinish } from './publish-finish.js';
import { createRequestContext, type RequestContext } from './request-context.js';
import { startTrace, tracePolicy } from './request-tracing.js';
import { authorize, resolveAlias } from './resolve-alias.js';
import { initialCapture, recordTarget, sealFor, type SealingPolicy } from './send-to-target.js';
import { withDropList } from './with-drop-list.js';

/** Says who counted: the provider (`upstream`) or the gateway's tokenizer (`estimated`). */
export const TOKEN_COUNT_HEADER = 'x-switchyard-token-count';

/**
 * POST /v1/messages/count_tokens. Counting by the provider sends the whole prompt out, so it
 * is egress like any call: authenticated, access-checked (alias, data class, tools, tiers),
 * classified and masked on exactly the body that leaves, egress-checked before the send,
 * rate-limited (one request, no tokens) and audited once in the `finally`. It is not metered:
 * nothing is generated.
 *
 * Only targets whose adapter can count (`countTokens`) and that this data may reach are asked,
 * in the alias's routing order with failover. Otherwise — no such target, a class that may not
 * reach its tier, a policy that refuses the request, or every counting target down — the
 * gateway counts with its own tokenizer and says so (`estimated`): a count never needs to leave,
 * so it is never refused for where the data may go.
 */
export async function runCountTokens(runtime: GatewayRuntime, call: InboundCall, dialect: CountTokensDialect<unknown>): Promise<CallReply> {
  const context = createRequestContext(call, dialect.id);
  let reply: CallReply | undefined;
  let encoded: { body: unknown; source: TokenCount['source'] } | undefined;
  try {
    const principal = await authenticate(runtime, context);
    const { request: asked, options } = dialect.decode(call.body);
    startTrace(runtime, context, 'chat', asked.model, asked);
    const alias = resolveAlias(runtime, context, principal, asked.model, 'chat');
    const count = await countTokens(runtime, context, principal, alias, withDropList(alias, asked));
    encoded = { body: dialect.encodeResponse(count, options), source: count.source };
  } catch (error) {
    context.error = asGatewayError(error);
    reply = refusal(context, dialect, context.error);
  } finally {
    const auditError = await finishRequest(runtime, context, reply?.status ?? 200).then(() => undefined, asGatewayError);
    // A count the ledger has no record of is never sent: a failed audit write replaces it.
    if (auditError) {
      context.error ??= auditError;
      reply = refusal(context, dialect, auditError);
    }
  }
  // Headers after audit: they carry the routing facts recorded there.
  if (!reply) {
    const served = answer(context, encoded?.body);
    reply = encoded ? { ...served, headers: { ...served.headers, [TOKEN_COUNT_HEADER]: encoded.source } } : served;
  }
  publishFinish(runtime, context, reply.status);
  return reply;
}

async function countTokens(runtime: GatewayRuntime, context: RequestContext, principal: Principal, alias: ModelAliasConfig, request: ChatRequest): Promise<TokenCount> {
  const canCount = (target: AliasTarget) => runtime.adapters.get(target.deployment)?.countTokens !== undefined;
  // Counting targets describe the count call; the others their chat call, read only to classify.
  const drafts = describeTargets(runtime, alias.targets, (target) => ({ operation: canCount(target) ? 'count-tokens' : 'chat', request: { ...request, model: target.model } }));
  const policy = await tracePolicy(runtime, context, () =>
    applyOutboundPolicy(runtime.policy, drafts.outbounds, { principal, alias: alias.alias, headers: context.headers }),
  );
  context.policy = policy.decision;
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, request.tools?.map((tool) => tool.name));
  context.capture = initialCapture(policy, drafts);
  await admit(runtime, context, 0);

  const estimate = (): TokenCount => ({ inputTokens: estimateChatInputTokens(request.messages) + estimateToolTokens(request.tools ?? []), source: 'estimated' });
  const candidates = countingTargets(runtime, principal, alias, policy.decision, drafts, canCount);
  if (candidates.length === 0) return estimate();
  const plan = runtime.services.traffic.plan(alias, { userId: request.user ?? principal.id, department: principal.department, roles: principal.roles ?? [] }, (target) => candidates.includes(target));
  if (plan.targets.length === 0) return estimate();
  return upstreamCount(runtime, context, alias, plan, policy, drafts, request).catch((error: unknown) => {
    // The provider being down does not make the question unanswerable; a bad request does.
    if (!(error instanceof GatewayError) || !error.retryable || error.code === 'upstream_bad_request') throw error;
    context.failedAttempts = error.attempts ?? [];
    return estimate();
  });
}

/** Asks the counting targets in routing order; the egress check and the sealed body come from send-to-target. */
async function upstreamCount(
  runtime: GatewayRuntime,
  context: RequestContext,
  alias: ModelAliasConfig,
  plan: RoutePlan<AliasTarget>,
  policy: SealingPolicy,
  drafts: OutboundDrafts,
  request: ChatRequest,
): Promise<TokenCount> {
  const startedAt = performance.now();
  const { result, target, attempts } = await runtime.services.traffic.dispatch(
    alias,
    plan,
    (candidate, attempt) => {
      const { adapter, body } = sealFor(runtime, context, policy, drafts, candidate);
      if (!adapter.countTokens) throw new GatewayError('internal_error', 'A counting target lost its token counter.');
      return adapter.countTokens({ ...request, model: candidate.model }, { signal: attempt.signal, body });
    },
    context.signal,
    { mode: 'unary' },
  );
  recordTarget(runtime, context, target, attempts, startedAt);
  return { inputTokens: result.inputTokens, source: 'upstream' };
}

/** Targets that can count, whose count body was described, and that this principal's data may reach. */
function countingTargets(
  runtime: GatewayRuntime,
  principal: Principal,
  alias: ModelAliasConfig,
  decision: PolicyDecision,
  drafts: OutboundDrafts,
  canCount: (target: AliasTarget) => boolean,
): AliasTarget[] {
  if (decision.action !== 'allow') return [];
  const tier = (target: AliasTarget) => tierOf(runtime, target.deployment);
  const reachable = alias.targets.filter(
    (target) => canCount(target) && typeof drafts.indexOf(target) === 'number' && isEgressAllowed(decision, { id: target.deployment, tier: tier(target) }),
  );
  if (reachable.length === 0) return [];
  try {
    const permit = permitPrincipalTiers(principal, reachable, tier, runtime.rolesEnforced ? runtime.identity.policy : undefined);
    return reachable.filter((target) => permit.permits(target));
  } catch {
    // No tier this principal may use can count: counted locally instead.
    return [];
  }
}
