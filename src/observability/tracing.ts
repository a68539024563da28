import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-base';
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

export function createTracing(config: TracingConfig, resolveHeader: (value: string) => string = (value) => value): GatewayTracing | undefined {
  if (!config.enabled) return undefined;
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
