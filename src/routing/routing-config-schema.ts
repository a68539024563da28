import { z } from 'zod';
import { identifierSchema } from '../model/identifier.js';
import { isSecretReference } from '../model/secret-reference.js';

/**
 * The configuration of traffic control, as strict zod sub-schemas that the root schema
 * (assembly/config-schema.ts) composes. Where each piece goes:
 *
 * - `routingSchema`            → top level `routing:` (default strategy, retry policy, EWMA)
 * - `rateLimitsSchema`         → top level `rate_limits:`
 * - `redisSchema`              → top level `redis:` (optional; absent = in-memory limits)
 * - `deploymentResilienceSchema` → each deployment's `resilience:`
 * - `aliasRoutingShape`        → spread into the alias object (`strategy`, `canary`, `retry`)
 * - `targetRoutingShape`       → spread into the target object (`priority`, `variant`)
 *
 * Defaults live here; each schema's `.parse({})` is its full default value.
 */

const identifier = identifierSchema;
const milliseconds = z.number().int().nonnegative();

export const STRATEGIES = ['weighted', 'priority', 'least-in-flight', 'latency'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export const retryPolicySchema = z
  .object({
    /** Upstream attempts per request, the first included, across every target of the alias. */
    max_attempts: z.number().int().min(1).max(10).default(3),
    /** Full-jitter backoff: a retry of the same deployment waits random(0, min(max, base·2ⁿ)). */
    base_backoff_ms: milliseconds.default(250),
    max_backoff_ms: milliseconds.default(8_000),
    /** An upstream's Retry-After is honoured up to this; beyond it we wait this long at most. */
    max_retry_after_ms: milliseconds.default(30_000),
  })
  .strict()
  .refine((retry) => retry.base_backoff_ms <= retry.max_backoff_ms, { message: 'base_backoff_ms must not exceed max_backoff_ms' });
export type RetryPolicyConfig = z.infer<typeof retryPolicySchema>;

export const routingSchema = z
  .object({
    default_strategy: z.enum(STRATEGIES).default('weighted'),
    retry: retryPolicySchema.default(() => retryPolicySchema.parse({})),
    /** Weight of the newest latency sample in the latency-aware strategy's moving average. */
    latency_ewma_alpha: z.number().gt(0).max(1).default(0.3),
  })
  .strict();
export type RoutingConfig = z.infer<typeof routingSchema>;

export const circuitBreakerSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Sliding window over which the failure rate is measured. */
    window_ms: milliseconds.min(1_000).default(30_000),
    /** The failure rate is only trusted after this many calls in the window. */
    minimum_requests: z.number().int().min(1).default(10),
    failure_rate_threshold: z.number().gt(0).max(1).default(0.5),
    /** Opens regardless of the rate after this many failures in a row (fast reaction to an outage). */
    consecutive_failures: z.number().int().min(1).default(5),
    /** Time spent open before half-open probes are let through. */
    cooldown_ms: milliseconds.default(30_000),
    /** Concurrent probe calls allowed while half-open. */
    half_open_probes: z.number().int().min(1).default(1),
    /** Successful probes needed to close again. */
    close_after_successes: z.number().int().min(1).default(1),
  })
  .strict();
export type CircuitBreakerConfig = z.infer<typeof circuitBreakerSchema>;

export const retryBudgetSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Retries caused by this deployment's failures may be at most this share of its requests. */
    ratio: z.number().min(0).max(1).default(0.1),
    /**
     * Retries always allowed per window, so a quiet deployment can still retry at all. Keep it at
     * or above circuit_breaker.consecutive_failures: in a hard outage the breaker should open
     * (and skip the deployment, costing nothing) before the budget starts refusing failovers.
     */
    min_retries: z.number().int().nonnegative().default(10),
    window_ms: milliseconds.min(1_000).default(60_000),
  })
  .strict();
export type RetryBudgetConfig = z.infer<typeof retryBudgetSchema>;

export const healthCheckSchema = z
  .object({
    enabled: z.boolean().default(false),
    interval_ms: milliseconds.min(100).default(15_000),
    timeout_ms: milliseconds.min(1).default(5_000),
    /** Path probed with GET, relative to the deployment's base URL. */
    path: z.string().startsWith('/').default('/models'),
    unhealthy_after: z.number().int().min(1).default(3),
    healthy_after: z.number().int().min(1).default(2),
  })
  .strict();
export type HealthCheckConfig = z.infer<typeof healthCheckSchema>;

export const deploymentResilienceSchema = z
  .object({
    circuit_breaker: circuitBreakerSchema.default(() => circuitBreakerSchema.parse({})),
    retry_budget: retryBudgetSchema.default(() => retryBudgetSchema.parse({})),
    health_check: healthCheckSchema.default(() => healthCheckSchema.parse({})),
  })
  .strict();
export type DeploymentResilienceConfig = z.infer<typeof deploymentResilienceSchema>;

export const canarySchema = z
  .object({
    /** The target variant that receives the canary share; other targets form the stable variant. */
    variant: identifier.default('canary'),
    /** Share of traffic (0–100, fractions allowed) sent to the canary variant. */
    percent: z.number().min(0).max(100).default(0),
    /**
     * `user`: a hash of the user id decides, so a user stays on one variant across requests
     * (and across replicas); requests without a user id fall back to a per-request draw.
     * `request`: every request draws anew.
     */
    sticky_by: z.enum(['user', 'request']).default('user'),
    /** Cohorts always sent to the canary, whatever the percentage. */
    departments: z.array(z.string()).default([]),
    roles: z.array(z.string()).default([]),
    users: z.array(z.string()).default([]),
    /** Changing the salt reshuffles which users fall into the percentage. */
    salt: z.string().default(''),
  })
  .strict();
export type CanaryConfig = z.infer<typeof canarySchema>;

/** Spread into the model alias object schema. */
export const aliasRoutingShape = {
  strategy: z.enum(STRATEGIES).optional(),
  canary: canarySchema.optional(),
  retry: retryPolicySchema.optional(),
};

/** Spread into the alias target object schema. */
export const targetRoutingShape = {
  /** Lower numbers are tried first by the `priority` strategy (0 = primary, 1 = secondary, …). */
  priority: z.number().int().nonnegative().default(0),
  /** Variant name used by canary splits; targets without one are `stable`. */
  variant: identifier.default('stable'),
};

export const rateLimitSchema = z
  .object({
    requests_per_minute: z.number().int().positive().optional(),
    tokens_per_minute: z.number().int().positive().optional(),
  })
  .strict()
  .refine((limit) => limit.requests_per_minute !== undefined || limit.tokens_per_minute !== undefined, {
    message: 'give requests_per_minute, tokens_per_minute or both',
  });
export type RateLimitConfig = z.infer<typeof rateLimitSchema>;

const rateLimitScopeSchema = z
  .object({
    /** Applies to every key / team / alias without an override. */
    default: rateLimitSchema.optional(),
    overrides: z.record(z.string(), rateLimitSchema).default({}),
  })
  .strict();
export type RateLimitScopeConfig = z.infer<typeof rateLimitScopeSchema>;

export const rateLimitsSchema = z
  .object({
    per_key: rateLimitScopeSchema.default({ overrides: {} }),
    per_team: rateLimitScopeSchema.default({ overrides: {} }),
    per_model: rateLimitScopeSchema.default({ overrides: {} }),
  })
  .strict();
export type RateLimitsConfig = z.infer<typeof rateLimitsSchema>;

export const redisSchema = z
  .object({
    /** `redis://…` / `rediss://…`, or a secret reference when it carries a password. */
    url: z.string().refine((url) => /^rediss?:\/\/.+$/.test(url) || isSecretReference(url), 'must be redis://…, rediss://… or a secret reference'),
    /** Prefix of every key; give each gateway fleet sharing one Redis its own. */
    key_prefix: z.string().default('switchyard:'),
    /** When Redis cannot be reached: refuse requests (safe for cost) or let them through. */
    on_unavailable: z.enum(['fail_open', 'fail_closed']).default('fail_closed'),
    connect_timeout_ms: milliseconds.min(1).default(2_000),
    /** A limiter check slower than this counts as Redis being unavailable. */
    command_timeout_ms: milliseconds.min(1).default(250),
  })
  .strict();
export type RedisConfig = z.infer<typeof redisSchema>;
