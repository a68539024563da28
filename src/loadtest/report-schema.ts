import { z } from 'zod';
import { FAULT_KINDS } from './scenario-schema.js';

/**
 * The JSON report of `switchyard loadtest` (schema `switchyard.loadtest/v1`), documented field by
 * field in docs/loadtest.md. Tests parse every report they produce with it, so the docs, the
 * code and the file cannot drift apart silently. `.passthrough()` nowhere: unknown keys fail.
 */
const count = z.number().int().min(0);
const rate = z.number().min(0).max(1);
const money = z.number().min(0);
const percentilesSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable(), max: z.number().nullable() }).strict();
const source = z.enum(['measured', 'scenario', 'default']);
const trafficKeys = [
  'requests_per_day',
  'avg_input_tokens',
  'avg_output_tokens',
  'context_tokens',
  'peak_factor',
  'peak_hours_per_day',
  'retry_rate',
  'chained_calls',
  'cache_hit_rate',
  'days_per_month',
  'hybrid_inside_share',
  'multi_cloud_primary_share',
] as const;
const trafficSchema = z.object(Object.fromEntries(trafficKeys.map((key) => [key, z.number().min(0)])) as Record<(typeof trafficKeys)[number], z.ZodNumber>).strict();
const trafficInputSchema = trafficSchema.partial();

const costSchema = z
  .object({
    traffic: trafficSchema,
    sources: z.object(Object.fromEntries(trafficKeys.map((key) => [key, source])) as Record<(typeof trafficKeys)[number], typeof source>).strict(),
    api: z
      .object({
        monthly_total: money,
        breakdown: z.object({ base: money, long_context: money, multi_step_chains: money, retries: money, peak_concurrency: money }).strict(),
      })
      .strict(),
    private_cloud: z
      .object({
        monthly_total: money,
        fixed: money,
        variable: money,
        breakdown: z.object({ network_isolation: money, monitoring_logging: money, key_management: money, inference: money, storage_retrieval: money }).strict(),
      })
      .strict(),
    on_prem: z
      .object({
        monthly_total: money,
        breakdown: z.object({ hardware_amortised: money, power_colocation: money, operations_staff: money, licences: money }).strict(),
        sizing: z
          .object({
            calls_per_month: z.number().min(0),
            input_tokens_per_month: z.number().min(0),
            output_tokens_per_month: z.number().min(0),
            peak_output_tps: z.number().min(0),
            peak_input_tps: z.number().min(0),
            compute_tps: z.number().min(0),
            replicas: count,
            gpus: count,
            utilisation: rate,
          })
          .strict(),
      })
      .strict(),
  })
  .strict();

const faultSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    at_s: z.number().min(0),
    for_s: z.number().positive(),
    target: z.enum(['primary', 'secondary']),
    rate,
    ms: z.number().min(0).optional(),
    status: z.number().int(),
    injected: z.boolean(),
    applied_at_s: z.number().min(0).optional(),
    healed_at_s: z.number().min(0).optional(),
    error: z.string().optional(),
    observed: z.object({ calls: count, errors: count, retried: count, fallbacks: count }).strict(),
  })
  .strict();

export const scenarioReportSchema = z
  .object({
    name: z.string(),
    role: z.enum(['baseline', 'peak', 'faults', 'other']),
    description: z.string().optional(),
    started_at: z.string().datetime(),
    requests: z
      .object({
        tasks_started: count,
        tasks_completed: count,
        tasks_failed: count,
        tasks_dropped: count,
        tasks_cut: count,
        calls: count,
        ok: count,
        errors: count,
        timeouts: count,
        by_status: z.record(z.string(), count),
        by_error: z.record(z.string(), count),
        stopped_by: z.enum(['duration', 'max_requests']),
      })
      .strict(),
    throughput: z
      .object({ calls_per_s: z.number().min(0), tasks_per_s: z.number().min(0), target_tasks_per_s: z.number().nullable(), sending_s: z.number().min(0), wall_s: z.number().min(0) })
      .strict(),
    latency_ms: percentilesSchema,
    ttft_ms: percentilesSchema,
    rates: z.object({ error_rate: rate, timeout_rate: rate, retry_rate: z.number().min(0), fallback_share: rate }).strict(),
    resilience: z
      .object({
        attempts_histogram: z.record(z.string().regex(/^\d+$/), count),
        mean_attempts: z.number().min(0),
        retried_calls: count,
        extra_attempts: count,
        circuit_skips: count,
        primary_excluded: count,
        budget_exhausted: count,
        served_by: z.record(z.string(), count),
        primary_deployment: z.string().nullable(),
        fallback_share: rate,
      })
      .strict(),
    tokens: z
      .object({ input: count, output: count, retry_extra_input: count, chain_extra_input: count, chain_extra_output: count, calls_without_usage: count })
      .strict(),
    mix: z
      .object({
        stream_share: rate,
        chain_share: rate,
        tool_share: rate,
        calls_per_task: z.number().min(0),
        avg_input_tokens: z.number().min(0),
        avg_context_tokens: z.number().min(0),
        avg_output_tokens: z.number().min(0),
      })
      .strict(),
    slo: z.object({ pass: z.boolean(), checks: z.array(z.object({ name: z.string(), threshold: z.number(), actual: z.number().nullable(), pass: z.boolean() }).strict()) }).strict(),
    timeline: z.array(z.object({ second: count, calls: count, errors: count, retried: count, p50_ms: z.number().nullable(), p95_ms: z.number().nullable() }).strict()),
    faults: z.array(faultSchema),
    cost: costSchema,
  })
  .strict();

export const loadtestReportSchema = z
  .object({
    schema: z.literal('switchyard.loadtest/v1'),
    generated_at: z.string().datetime(),
    target: z.object({ url: z.string(), with_mock: z.boolean(), model: z.string() }).strict(),
    peak_factor: z
      .object({
        value: z.number().min(1),
        method: z.enum(['peak_over_baseline', 'busiest_second_over_mean']),
        /** Busiest one-second call count over the baseline's mean calls per second (the top of the burst). */
        burst_max: z.number().min(0),
      })
      .strict(),
    scenarios: z.array(scenarioReportSchema).min(1),
    /** What `switchyard advise --traffic-from` reads: the advisor's cost inputs measured here. */
    advisor_traffic: z.object({ traffic: trafficInputSchema, from_scenario: z.string(), note: z.string() }).strict(),
    slo_pass: z.boolean(),
  })
  .strict();

export type ScenarioReport = z.infer<typeof scenarioReportSchema>;
export type LoadtestReport = z.infer<typeof loadtestReportSchema>;
