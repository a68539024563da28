import { z } from 'zod';

/**
 * A load scenario as written in YAML (docs/loadtest.md, "Scenario file"). Every run is bounded:
 * `duration_s` and `max_requests` both have hard upper limits, so a typo cannot start a
 * day-long run against a staging gateway.
 */
export const FAULT_KINDS = ['timeout', 'rate_limit_storm', 'error_storm', 'refusal', 'latency_jitter', 'stream_cut', 'slow_first_token'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const share = z.number().min(0).max(1);

const faultSchema = z
  .object({
    kind: z.enum(FAULT_KINDS),
    /** Seconds after the run starts. */
    at_s: z.number().min(0),
    for_s: z.number().positive(),
    /** Which mock upstream misbehaves: `primary` or `secondary` (only with --with-mock). */
    target: z.enum(['primary', 'secondary']).default('primary'),
    /** Share of requests hit (storms, timeouts, refusals, stream cuts); 1 = every request. */
    rate: share.default(1),
    /** Milliseconds: slow_first_token's delay; latency_jitter's upper bound. */
    ms: z.number().min(0).max(60_000).optional(),
    /** HTTP status for error_storm. */
    status: z.number().int().min(400).max(599).default(500),
  })
  .strict();
export type FaultStep = z.infer<typeof faultSchema>;

const burstSchema = z
  .object({
    at_s: z.number().min(0),
    for_s: z.number().positive(),
    /** Multiplies the target rate inside the window. */
    factor: z.number().positive().max(100),
  })
  .strict();

export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, ".", "_" or "-", at most 64'),
    description: z.string().optional(),
    /**
     * What the scenario stands for in the cost projection: the baseline's rate is the
     * denominator of the peak factor, the peak's the numerator; fault runs never set the
     * advisor's retry rate. Defaults from the name (normal → baseline, peak, faults), else other.
     */
    role: z.enum(['baseline', 'peak', 'faults', 'other']).optional(),
    /** Model alias sent as `model`. */
    model: z.string().min(1).default('chat'),
    /** Wall-clock bound of the sending phase; in-flight requests then get `request_timeout_ms` to finish. */
    duration_s: z.number().positive().max(3_600),
    /** Upper bound on HTTP calls (every chain step and tool round trip counts). */
    max_requests: z.number().int().positive().max(1_000_000),
    /** Open loop: tasks started per second. Exactly one of rps / concurrency. */
    rps: z.number().positive().max(10_000).optional(),
    /** Closed loop: this many tasks in flight at all times. */
    concurrency: z.number().int().positive().max(1_000).optional(),
    /** Rate multipliers in windows (the peak scenario's burst profile); open loop only. */
    bursts: z.array(burstSchema).default([]),
    /** Open loop safety valve: tasks beyond this many in flight are counted as `dropped`, not sent. */
    max_in_flight: z.number().int().positive().max(10_000).default(256),
    request_timeout_ms: z.number().int().positive().max(600_000).default(30_000),
    mix: z
      .object({
        /** Prompt sizes in words (≈ tokens), drawn by weight. */
        prompt_words: z
          .array(z.object({ words: z.number().int().positive().max(200_000), weight: z.number().positive() }).strict())
          .min(1)
          .default([
            { words: 40, weight: 6 },
            { words: 300, weight: 3 },
            { words: 1_500, weight: 1 },
          ]),
        /** Extra context (RAG passages, history) added to every task's first call, in words. */
        context_words: z.number().int().min(0).max(200_000).default(200),
        stream_share: share.default(0.5),
        /** Share of tasks that are a chain of dependent calls. */
        chain_share: share.default(0.2),
        chain_steps: z.array(z.enum(['summarise', 'classify', 'answer'])).min(2).max(8).default(['summarise', 'classify', 'answer']),
        /** Share of tasks that call a tool and send its result back (two calls). */
        tool_share: share.default(0.1),
        /** Share of prompts written in Traditional Chinese (the rest English). */
        zh_share: share.default(0.5),
        max_tokens: z.number().int().positive().max(100_000).default(64),
      })
      .strict()
      .default({
        prompt_words: [
          { words: 40, weight: 6 },
          { words: 300, weight: 3 },
          { words: 1_500, weight: 1 },
        ],
        context_words: 200,
        stream_share: 0.5,
        chain_share: 0.2,
        chain_steps: ['summarise', 'classify', 'answer'],
        tool_share: 0.1,
        zh_share: 0.5,
        max_tokens: 64,
      }),
    /** Injected on a schedule with --with-mock; ignored (and reported as not injected) otherwise. */
    faults: z.array(faultSchema).default([]),
    slo: z
      .object({
        p50_latency_ms: z.number().positive().optional(),
        p95_latency_ms: z.number().positive().optional(),
        p99_latency_ms: z.number().positive().optional(),
        p95_ttft_ms: z.number().positive().optional(),
        max_error_rate: share.optional(),
        max_timeout_rate: share.optional(),
        max_retry_rate: z.number().min(0).optional(),
        min_throughput_rps: z.number().min(0).optional(),
      })
      .strict()
      .default({}),
    /** Production volume for the monthly projection; the load test measures the mix, not the volume. */
    projection: z
      .object({
        requests_per_day: z.number().positive().optional(),
        peak_hours_per_day: z.number().min(0).max(24).optional(),
        cache_hit_rate: share.optional(),
        days_per_month: z.number().positive().max(31).optional(),
      })
      .strict()
      .default({}),
    seed: z.number().int().default(1),
  })
  .strict()
  .superRefine((scenario, context) => {
    if ((scenario.rps === undefined) === (scenario.concurrency === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of rps (open loop) or concurrency (closed loop)', path: ['rps'] });
    }
    if (scenario.concurrency !== undefined && scenario.bursts.length > 0) {
      context.addIssue({ code: 'custom', message: 'bursts need an open-loop rps', path: ['bursts'] });
    }
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
