import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';
import { runRateLimiterConformance } from '../../test/support/routing/rate-limiter-conformance.js';

runRateLimiterConformance('memory rate limiter', (clock) => createMemoryRateLimiter({ clock }));

describe('createMemoryRateLimiter', () => {
  it('drops the least recently used bucket beyond maxBuckets (it starts full again)', async () => {
    const limiter = createMemoryRateLimiter({ clock: createManualClock(0), maxBuckets: 2 });
    const rule = (scope: string) => ({ rules: [{ scope, requestsPerMinute: 1 }], estimatedTokens: 0 });
    await limiter.check(rule('a'));
    await limiter.check(rule('b'));
    await limiter.check(rule('c'));
    expect((await limiter.check(rule('a'))).allowed).toBe(true);
    expect((await limiter.check(rule('c'))).allowed).toBe(false);
  });
});
