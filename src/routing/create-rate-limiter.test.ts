import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createRateLimiter } from './create-rate-limiter.js';
import { redisSchema } from './routing-config-schema.js';

const rules = (scope: string) => ({ rules: [{ scope, requestsPerMinute: 1 }], estimatedTokens: 0 });

describe('createRateLimiter', () => {
  it('holds limits in memory when no redis section is configured', async () => {
    const limiter = await createRateLimiter({ clock: createManualClock(0) });
    expect((await limiter.check(rules('k'))).allowed).toBe(true);
    expect((await limiter.check(rules('k'))).allowed).toBe(false);
    await limiter.close();
  });

  it('resolves a secret-reference URL and applies fail_closed when Redis cannot be reached', async () => {
    const errors: unknown[] = [];
    const resolved: string[] = [];
    const limiter = await createRateLimiter({
      redis: redisSchema.parse({ url: '${env:REDIS_URL}', connect_timeout_ms: 100, command_timeout_ms: 100 }),
      resolveSecret: (reference) => {
        resolved.push(reference);
        return 'redis://127.0.0.1:1';
      },
      onBackendError: (error) => errors.push(error),
    });
    expect(await limiter.check(rules(`k-${randomUUID()}`))).toMatchObject({ allowed: false, reason: 'backend_unavailable' });
    expect(resolved).toEqual(['${env:REDIS_URL}']);
    expect(errors.length).toBeGreaterThan(0);
    await limiter.close();
  });
});
