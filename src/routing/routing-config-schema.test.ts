import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import {
  aliasRoutingShape,
  deploymentResilienceSchema,
  rateLimitSchema,
  rateLimitsSchema,
  redisSchema,
  retryPolicySchema,
  routingSchema,
  targetRoutingShape,
} from './routing-config-schema.js';

describe('routing config schemas', () => {
  it('give every default from an empty object', () => {
    expect(routingSchema.parse({}).retry).toEqual({ max_attempts: 3, base_backoff_ms: 250, max_backoff_ms: 8_000, max_retry_after_ms: 30_000 });
    const resilience = deploymentResilienceSchema.parse({});
    expect(resilience.circuit_breaker.consecutive_failures).toBe(5);
    expect(resilience.retry_budget.ratio).toBe(0.1);
    expect(resilience.health_check.enabled).toBe(false);
    expect(redisSchema.parse({ url: 'redis://127.0.0.1:6379' }).on_unavailable).toBe('fail_closed');
  });

  it('reject unknown keys instead of dropping them', () => {
    expect(deploymentResilienceSchema.safeParse({ circuit_breaker: { cooldown: 5 } }).success).toBe(false);
    expect(routingSchema.safeParse({ retries: 3 }).success).toBe(false);
  });

  it('reject contradictions the types allow', () => {
    expect(retryPolicySchema.safeParse({ base_backoff_ms: 10_000, max_backoff_ms: 1_000 }).success).toBe(false);
    expect(rateLimitSchema.safeParse({}).success).toBe(false);
    expect(redisSchema.safeParse({ url: 'http://redis' }).success).toBe(false);
    expect(redisSchema.safeParse({ url: '${env:REDIS_URL}' }).success).toBe(true);
  });

  it('validate the routing sections of examples/multi-cloud.yaml', () => {
    const example = parse(readFileSync(new URL('../../examples/multi-cloud.yaml', import.meta.url), 'utf8')) as {
      routing: unknown;
      rate_limits: unknown;
      redis: unknown;
      deployments: Array<{ resilience?: unknown }>;
      models: Array<Record<string, unknown> & { targets: Array<Record<string, unknown>> }>;
    };
    routingSchema.parse(example.routing);
    rateLimitsSchema.parse(example.rate_limits);
    redisSchema.parse(example.redis);
    for (const deployment of example.deployments) deploymentResilienceSchema.parse(deployment.resilience ?? {});
    const alias = z.object(aliasRoutingShape);
    const target = z.object(targetRoutingShape);
    for (const model of example.models) {
      alias.parse({ strategy: model.strategy, canary: model.canary, retry: model.retry });
      for (const entry of model.targets) target.parse({ priority: entry.priority, variant: entry.variant });
    }
    expect(example.models[0]?.canary).toMatchObject({ percent: 10 });
  });
});
