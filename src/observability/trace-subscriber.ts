import type { Span } from '@opentelemetry/api';
import { ATTEMPT, POLICY, REQUEST_FINISH, REQUEST_START, subscribe } from './channels.js';
import { SpanKind, SpanStatusCode, type GatewayTracing } from './tracing.js';
import { context as otelContext, trace } from '@opentelemetry/api';

/**
 * Spans from events: a SERVER span per model call (GenAI conventions, `gen_ai.*`) opened on
 * `switchyard:request:start` and closed on `:request:finish`, with INTERNAL `switchyard.policy`
 * and CLIENT upstream-attempt children built from `:policy` and `:attempt` (their start and end
 * times come with the event). Only events from `source` count. Returns the unsubscribe function.
 */
export function subscribeTracing(tracing: GatewayTracing, source: object): () => void {
  const open = new Map<string, Span>();
  const parentOf = (requestId: string) => {
    const span = open.get(requestId);
    return span ? trace.setSpan(otelContext.active(), span) : undefined;
  };
  const unsubscribers = [
    subscribe(REQUEST_START, (event) => {
      if (event.source !== source) return;
      open.set(
        event.requestId,
        tracing.tracer.startSpan(`${event.operation} ${event.model}`, {
          kind: SpanKind.SERVER,
          attributes: {
            'gen_ai.operation.name': event.operation,
            'gen_ai.request.model': event.model,
            'switchyard.request_id': event.requestId,
            ...(event.maxTokens !== undefined ? { 'gen_ai.request.max_tokens': event.maxTokens } : {}),
            ...(event.temperature !== undefined ? { 'gen_ai.request.temperature': event.temperature } : {}),
            ...(event.topP !== undefined ? { 'gen_ai.request.top_p': event.topP } : {}),
          },
        }),
      );
    }),
    subscribe(POLICY, (event) => {
      const parent = event.source === source ? parentOf(event.requestId) : undefined;
      if (!parent) return;
      const span = tracing.tracer.startSpan('switchyard.policy', { kind: SpanKind.INTERNAL, startTime: event.startedAt }, parent);
      if (event.errorCode !== undefined) failed(span, event.errorCode);
      span.end(event.endedAt);
    }),
    subscribe(ATTEMPT, (event) => {
      const parent = event.source === source && event.outcome !== 'skipped' ? parentOf(event.requestId) : undefined;
      if (!parent) return;
      const attributes = {
        'gen_ai.operation.name': event.operation,
        'gen_ai.request.model': event.model,
        'gen_ai.provider.name': event.provider ?? 'unknown',
        'switchyard.deployment': event.deployment,
        'switchyard.tier': event.tier ?? 'unknown',
      };
      const span = tracing.tracer.startSpan(`${event.operation} ${event.model}`, { kind: SpanKind.CLIENT, startTime: event.startedAt, attributes }, parent);
      if (event.errorCode !== undefined) failed(span, event.errorCode);
      span.end(event.endedAt);
    }),
    subscribe(REQUEST_FINISH, ({ source: from, summary }) => {
      const span = from === source ? open.get(summary.requestId) : undefined;
      if (!span) return;
      open.delete(summary.requestId);
      span.setAttributes({
        'http.response.status_code': summary.status,
        ...(summary.responseModel ? { 'gen_ai.response.model': summary.responseModel } : {}),
        ...(summary.usage ? { 'gen_ai.usage.input_tokens': summary.usage.inputTokens, 'gen_ai.usage.output_tokens': summary.usage.outputTokens } : {}),
        ...(summary.deployment ? { 'switchyard.deployment': summary.deployment } : {}),
        ...(summary.tier ? { 'switchyard.tier': summary.tier } : {}),
        ...(summary.principalId ? { 'switchyard.principal': summary.principalId } : {}),
        ...(summary.policy ? { 'switchyard.data_class': summary.policy.dataClass, 'switchyard.route_rule': summary.policy.rule } : {}),
        ...(summary.costUsd !== undefined ? { 'switchyard.cost_usd': summary.costUsd } : {}),
      });
      const errorCode = summary.errorCode ?? summary.streamErrorCode;
      if (errorCode !== undefined) failed(span, errorCode);
      span.end();
    }),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
    for (const span of open.values()) span.end();
    open.clear();
  };
}

function failed(span: Span, code: string): void {
  span.setAttribute('error.type', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}
