import { applyOutboundPolicy } from '../policy/apply-outbound-policy.js';
import { choicesOf, chatInputTokenBound } from '../metering/request-bounds.js';
import { quickChatTokens } from '../metering/count-tokens.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { Principal } from '../model/principal.js';
import type { ChatDialect } from '../wire/dialect.js';
import { admit } from './admit.js';
import { authenticate } from './authenticate.js';
import { answer, asGatewayError, refusal } from './call-reply.js';
import { finishRequest } from './finish-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { guardStage, withGuardCanary } from './guard-stage.js';
import type { CallReply, InboundCall } from './inbound-call.js';
import { describeTargets } from './outbound-drafts.js';
import { planTargets } from './plan-targets.js';
import { withDropList } from './with-drop-list.js';
import { createRequestContext, type RequestContext } from './request-context.js';
import { startTrace, tracePolicy } from './request-tracing.js';
import { maskingAllowance, reserveBudget, withOutputCap } from './reserve-budget.js';
import { authorize, resolveAlias } from './resolve-alias.js';
import { responseQuality } from './response-quality.js';
import { selectRelease } from './select-release.js';
import { dispatchChat, dispatchChatStream, initialCapture, type Dispatch } from './send-to-target.js';
import { captureRestored, observeStream } from './stream-taps.js';
import { endStream, writeStream, type OpenStream } from './write-stream.js';
import { publishFinish } from './publish-finish.js';
import { relayAllowed, relayStream } from './relay-stream.js';
import type { ChatSessionFactory } from './chat-session.js';

/**
 * One chat call, top to bottom: authenticate → decode → resolve alias (and the serving release)
 * → policy (classify, mask, guard, RBAC) → plan targets → admit (rate limits) → reserve budget →
 * dispatch (egress checked before every send) → restore placeholders → encode. Meter → audit
 * runs exactly once, in the `finally`, before the client gets the answer or the stream's last event.
 */
export async function runChat(runtime: GatewayRuntime, call: InboundCall, dialect: ChatDialect<unknown>, sessionFactory?: ChatSessionFactory): Promise<CallReply | undefined> {
  const context = createRequestContext(call, dialect.id);
  let reply: CallReply | undefined;
  let encoded: { body: unknown } | undefined;
  let stream: OpenStream | undefined;
  try {
    const principal = await authenticate(runtime, context);
    const { request: decoded, options } = dialect.decode(call.body);
    // Stateful APIs (Responses) add stored turns here; the policy below then sees the whole request.
    const session = sessionFactory?.(runtime, context, principal, options);
    const asked = session ? await session.prepare(decoded) : decoded;
    startTrace(runtime, context, 'chat', asked.model, asked);
    const configured = resolveAlias(runtime, context, principal, asked.model, 'chat');
    // The serving release (production, canary or an evaluation pin) fixes targets and renders the template.
    const { alias, request } = await selectRelease(runtime, context, principal, configured, asked);
    const route = await chatPolicy(runtime, context, principal, alias, request);
    await admit(runtime, context, quickChatTokens(request));
    await reserveBudget(runtime, context, route.plan, route.hold);
    if (request.stream) {
      // Relay the upstream's events as they came when nothing needs rewriting (relay-stream.ts);
      // never with a session, whose encoder is settled only by beforeEncode.
      const early = session ? undefined : dialect.encodeStream(options);
      const opened = await dispatchChatStream(runtime, context, route, route.request, early && relayAllowed(route.restoreStream, early));
      session?.beforeEncode();
      const encoder = early ?? dialect.encodeStream(options);
      stream = 'relayed' in opened
        ? await relayStream(call, context, runtime, opened.relayed, encoder)
        : await writeStream(call, context, captureRestored(route.restoreStream(observeStream(opened.parts, context, runtime)), context), encoder);
      if (session && context.stream?.completed && !context.stream.error) {
        // A failure to keep the answer ends the stream with an error event instead of a clean end.
        await session.keep({ stream: stream.encoder }).catch((error: unknown) => void (context.stream = { completed: false, error: asGatewayError(error) }));
      }
    } else {
      const response = await restoreAnswer(context, route, await dispatchChat(runtime, context, route, route.request));
      session?.beforeEncode();
      const body = dialect.encodeResponse(response, options);
      await session?.keep({ body });
      encoded = { body };
    }
  } catch (error) {
    context.error = asGatewayError(error);
    reply = refusal(context, dialect, context.error);
  } finally {
    const auditError = await finishRequest(runtime, context, reply?.status ?? 200).then(() => undefined, asGatewayError);
    // The answer the ledger has no record of is never sent: a failed audit write replaces it.
    if (stream) await endStream(stream, context, auditError);
    else if (auditError) {
      context.error ??= auditError;
      reply = refusal(context, dialect, auditError);
    }
  }
  // Headers after meter → audit: they carry the metered cost.
  if (encoded && !reply) reply = answer(context, encoded.body);
  publishFinish(runtime, context, reply?.status ?? 200);
  return reply;
}

type ChatRoute = Dispatch & Pick<Awaited<ReturnType<typeof guardStage>>, 'restoreResponse' | 'restoreStream'> & { request: ChatRequest; hold: Parameters<typeof reserveBudget>[3] };

/** Classify, mask and guard what each target would receive; RBAC on the data class; plan where it may go. */
async function chatPolicy(runtime: GatewayRuntime, context: RequestContext, principal: Principal, alias: Dispatch['alias'], request: ChatRequest): Promise<ChatRoute> {
  // The budget's output cap and the guard's canary change the body, so both are settled before
  // the policy reads the bodies the adapters would send (not a view of the request).
  const guarded = withGuardCanary(runtime, withOutputCap(runtime, withDropList(alias, request)));
  const operation = request.stream ? 'chat-stream' : 'chat';
  const drafts = describeTargets(runtime, alias.targets, (target) => ({ operation, request: { ...guarded.request, model: target.model } }));
  const policy = await guardStage(runtime, context, request, principal, guarded.canary, await tracePolicy(runtime, context, () =>
    applyOutboundPolicy(runtime.policy, drafts.outbounds, { principal, alias: alias.alias, headers: context.headers }),
  ));
  authorize(runtime, principal, alias.alias, policy.decision.dataClass, request.tools?.map((tool) => tool.name));
  context.capture = initialCapture(policy, drafts);
  const plan = planTargets(runtime, context, alias, policy.decision, request.user, drafts);
  const hold = { inputTokens: chatInputTokenBound(guarded.request) + maskingAllowance(policy.decision), maxOutputTokens: guarded.request.maxTokens, choices: choicesOf(request) };
  return { alias, plan, policy, drafts, request: guarded.request, hold, restoreResponse: policy.restoreResponse, restoreStream: policy.restoreStream };
}

/** Placeholders back to the client's own values; the audit capture and the quality signals see both sides. */
async function restoreAnswer(context: RequestContext, route: ChatRoute, result: ChatResponse): Promise<ChatResponse> {
  const restored = await route.restoreResponse(result);
  const first = restored.choices[0];
  const response = first?.message.content ?? '';
  context.capture = { ...context.capture, maskedResponse: result.choices[0]?.message.content ?? '', response };
  context.quality = responseQuality(response, { contentFiltered: first?.finishReason === 'content_filter', refusal: first?.message.refusal ?? null });
  return restored;
}
