import type { ModelAliasConfig } from '../config/config-schema.js';
import { SpanKind, withSpan } from '../observability/tracing.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

type AliasTarget = ModelAliasConfig['targets'][number];

/** The request's span (GenAI conventions), when tracing is on; finishRequest ends it. */
export function startTrace(runtime: GatewayRuntime, context: RequestContext, operation: 'chat' | 'embeddings', model: string, request?: ChatRequest): void {
  const tracing = runtime.services.tracing;
  if (!tracing) return;
  context.span = tracing.tracer.startSpan(`${operation} ${model}`, {
    kind: SpanKind.SERVER,
    attributes: {
      'gen_ai.operation.name': operation,
      'gen_ai.request.model': model,
      'switchyard.request_id': context.requestId,
      ...(request?.maxTokens !== undefined ? { 'gen_ai.request.max_tokens': request.maxTokens } : {}),
      ...(request?.temperature !== undefined ? { 'gen_ai.request.temperature': request.temperature } : {}),
      ...(request?.topP !== undefined ? { 'gen_ai.request.top_p': request.topP } : {}),
    },
  });
}

/** One upstream attempt as a client span, named like the GenAI conventions ask. */
export function traceAttempt<T>(runtime: GatewayRuntime, context: RequestContext, operation: 'chat' | 'embeddings', target: AliasTarget, work: () => Promise<T>): Promise<T> {
  const deployment = runtime.deployments.get(target.deployment);
  return withSpan(
    runtime.services.tracing,
    context.span,
    `${operation} ${target.model}`,
    {
      'gen_ai.operation.name': operation,
      'gen_ai.request.model': target.model,
      'gen_ai.provider.name': deployment?.provider ?? 'unknown',
      'switchyard.deployment': target.deployment,
      'switchyard.tier': deployment?.tier ?? 'unknown',
    },
    work,
    SpanKind.CLIENT,
  );
}
