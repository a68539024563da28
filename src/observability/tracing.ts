import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { TracingConfig } from './tracing-config-schema.js';

/**
 * Request tracing with the OpenTelemetry GenAI semantic conventions (`gen_ai.*`): one span per
 * request, children for the policy stage and every upstream attempt, built from the pipeline's
 * events by trace-subscriber.ts. When tracing is off there is no tracer and no subscriber.
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

export { SpanKind, SpanStatusCode };
