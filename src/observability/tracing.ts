import { context as otelContext, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { TracingConfig } from './tracing-config-schema.js';

/**
 * Request tracing with the OpenTelemetry GenAI semantic conventions (`gen_ai.*`): one span per
 * request, children for the policy stage, routing and every upstream attempt. When tracing is
 * off there is no tracer at all, and every call site is a single `undefined` check.
 */
export interface GatewayTracing {
  tracer: Tracer;
  /** Sends what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The tracer for `tracing:`; undefined when off. The OpenTelemetry SDK and exporter are imported
 * only here, when tracing is on: a gateway without tracing does not load (or hold in memory) them.
 */
export async function createTracing(config: TracingConfig, resolveHeader: (value: string) => string = (value) => value): Promise<GatewayTracing | undefined> {
  if (!config.enabled) return undefined;
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor, TraceIdRatioBasedSampler }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  const headers = Object.fromEntries(Object.entries(config.headers).map(([name, value]) => [name, resolveHeader(value)]));
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.service_name }),
    sampler: new TraceIdRatioBasedSampler(config.sample_ratio),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint, headers }), { scheduledDelayMillis: 1_000 })],
  });
  return {
    tracer: provider.getTracer('switchyard'),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/** Runs `work` inside a child span of `parent` (when tracing), recording failures on it. */
export async function withSpan<T>(
  tracing: GatewayTracing | undefined,
  parent: Span | undefined,
  name: string,
  attributes: Attributes,
  work: (span: Span | undefined) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!tracing || !parent) return work(undefined);
  const span = tracing.tracer.startSpan(name, { kind, attributes }, contextWith(parent));
  try {
    return await work(span);
  } catch (error) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : 'failed' });
    if (error instanceof Error) span.setAttribute('error.type', (error as { code?: string }).code ?? error.name);
    throw error;
  } finally {
    span.end();
  }
}

function contextWith(parent: Span) {
  return trace.setSpan(otelContext.active(), parent);
}

export { SpanKind, SpanStatusCode };
