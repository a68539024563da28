import { quickEmbeddingTokens } from '../metering/count-tokens.js';
import { embeddingInputTokenBound } from '../metering/request-bounds.js';
import { applyOutboundPolicy } from '../policy/apply-outbound-policy.js';
import type { EmbeddingsDialect } from '../wire/dialect.js';
import { admit } from './admit.js';
import { authenticate } from './authenticate.js';
import { answer, asGatewayError, refusal } from './call-reply.js';
import { finishRequest } from './finish-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { CallReply, InboundCall } from './inbound-call.js';
import { describeTargets } from './outbound-drafts.js';
import { planTargets } from './plan-targets.js';
import { publishFinish } from './publish-finish.js';
import { createRequestContext } from './request-context.js';
import { startTrace, tracePolicy } from './request-tracing.js';
import { maskingAllowance, reserveBudget } from './reserve-budget.js';
import { authorize, resolveAlias } from './resolve-alias.js';
import { dispatchEmbeddings, initialCapture } from './send-to-target.js';

/**
 * One embeddings call, top to bottom: authenticate → decode → resolve alias → policy (classify,
 * mask, RBAC) → plan targets → admit → reserve budget → dispatch (egress checked per send) →
 * encode. Meter → audit runs exactly once, in the `finally`, before the client gets the answer.
 */
export async function runEmbeddings(runtime: GatewayRuntime, call: InboundCall, dialect: EmbeddingsDialect<unknown>): Promise<CallReply> {
  const context = createRequestContext(call, dialect.id);
  let reply: CallReply | undefined;
  let encoded: { body: unknown } | undefined;
  try {
    const principal = await authenticate(runtime, context);
    const { request, options } = dialect.decode(call.body);
    startTrace(runtime, context, 'embeddings', request.model);
    const alias = resolveAlias(runtime, context, principal, request.model, 'embedding');
    const drafts = describeTargets(runtime, alias.targets, (target) => ({ operation: 'embeddings', request: { ...request, model: target.model } }));
    const policy = await tracePolicy(runtime, context, () => applyOutboundPolicy(runtime.policy, drafts.outbounds, { principal, alias: alias.alias, headers: context.headers }));
    context.policy = policy.decision;
    authorize(runtime, principal, alias.alias, policy.decision.dataClass, undefined);
    context.capture = initialCapture(policy, drafts);
    const plan = planTargets(runtime, context, alias, policy.decision, request.user);
    await admit(runtime, context, quickEmbeddingTokens(request.input));
    await reserveBudget(runtime, context, plan, { inputTokens: embeddingInputTokenBound(request.input) + maskingAllowance(policy.decision), maxOutputTokens: 0, choices: 0 });
    const response = await dispatchEmbeddings(runtime, context, { alias, plan, policy, drafts }, request);
    encoded = { body: dialect.encodeResponse(response, options) };
  } catch (error) {
    context.error = asGatewayError(error);
    reply = refusal(context, dialect, context.error);
  } finally {
    const auditError = await finishRequest(runtime, context, reply?.status ?? 200).then(() => undefined, asGatewayError);
    // The answer the ledger has no record of is never sent: a failed audit write replaces it.
    if (auditError) {
      context.error ??= auditError;
      reply = refusal(context, dialect, auditError);
    }
  }
  // Headers after meter → audit: they carry the metered cost.
  reply ??= answer(context, encoded?.body);
  publishFinish(runtime, context, reply.status);
  return reply;
}
