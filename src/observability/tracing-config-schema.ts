import { z } from 'zod';

/** `tracing:` — optional OpenTelemetry export over OTLP/HTTP; off by default. */
export const tracingConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** OTLP/HTTP traces endpoint of a collector (JSON encoding). */
    endpoint: z.url().default('http://127.0.0.1:4318/v1/traces'),
    service_name: z.string().min(1).default('switchyard'),
    /** Share of requests traced (head sampling). */
    sample_ratio: z.number().min(0).max(1).default(1),
    /** Extra headers for the collector; values may be secret references. */
    headers: z.record(z.string(), z.string()).default({}),
  })
  .strict();
export type TracingConfig = z.infer<typeof tracingConfigSchema>;
