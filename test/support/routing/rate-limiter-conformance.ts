/**
 * The behaviour every RateLimiter must show, run by the in-memory and the Redis limiter tests
 * alike, so "one replica" and "many replicas" enforce the same rules. Test-only; imports vitest.
 */
import { describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../src/routing/clock.js';
import type { RateLimiter, RateLimitRule } from '../../../src/routing/rate-limiter.js';

export type LimiterFactory = (clock: ManualClock) => RateLimiter | Promise<RateLimiter>;

const uniqueScope = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

export function runRateLimiterConformance(name: string, createLimiter: LimiterFactory): void {
  describe(`${name} (rate-limiter conformance)`, () => {
    const setup = async () => {
      const clock = createManualClock(1_700_000_000_000);
      return { clock, limiter: await createLimiter(clock) };
    };

    it('admits exactly the requests-per-minute limit, then refuses with the time until one unit refills', async () => {
      const { limiter } = await setup();
      const rules: RateLimitRule[] = [{ scope: uniqueScope('key'), requestsPerMinute: 100 }];
      const decisions = [];
      for (let request = 0; request < 101; request++) decisions.push(await limiter.check({ rules, estimatedTokens: 0 }));
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100);
      expect(decisions[99]?.buckets[0]).toMatchObject({ kind: 'requests', limit: 100, remaining: 0, resetMs: 60_000 });
      expect(decisions[100]).toMatchObject({ allowed: false, reason: 'limited', retryAfterMs: 600 });
      await limiter.close();
    });

    it('refills continuously at limit per minute', async () => {
      const { limiter, clock } = await setup();
      const rules: RateLimitRule[] = [{ scope: uniqueScope('key'), requestsPerMinute: 60 }];
      for (let request = 0; request < 60; request++) await limiter.check({ rules, estimatedTokens: 0 });
      expect((await limiter.check({ rules, estimatedTokens: 0 })).allowed).toBe(false);
      await clock.advance(999);
      expect((await limiter.check({ rules, estimatedTokens: 0 })).allowed).toBe(false);
      await clock.advance(1);
      expect((await limiter.check({ rules, estimatedTokens: 0 })).allowed).toBe(true);
      await clock.advance(60_000);
      const full = await limiter.check({ rules, estimatedTokens: 0 });
      expect(full.buckets[0]?.remaining).toBe(59);
      await limiter.close();
    });

    it('is all-or-nothing: a request refused by the team limit does not consume the key limit', async () => {
      const { limiter } = await setup();
      const key = { scope: uniqueScope('key'), requestsPerMinute: 10 };
      const team = { scope: uniqueScope('team'), requestsPerMinute: 1 };
      expect((await limiter.check({ rules: [key, team], estimatedTokens: 0 })).allowed).toBe(true);
      expect((await limiter.check({ rules: [key, team], estimatedTokens: 0 })).allowed).toBe(false);
      const keyOnly = await limiter.check({ rules: [key], estimatedTokens: 0 });
      expect(keyOnly.buckets[0]?.remaining).toBe(8);
      await limiter.close();
    });

    it('reserves the token estimate, refunds an over-estimate and charges an under-estimate', async () => {
      const { limiter } = await setup();
      const rules: RateLimitRule[] = [{ scope: uniqueScope('key'), tokensPerMinute: 1_000 }];
      const first = await limiter.check({ rules, estimatedTokens: 600 });
      expect(first.buckets[0]).toMatchObject({ kind: 'tokens', remaining: 400 });
      expect((await limiter.check({ rules, estimatedTokens: 600 })).allowed).toBe(false);
      await limiter.settle(first.reservation!, 100);
      const second = await limiter.check({ rules, estimatedTokens: 600 });
      expect(second).toMatchObject({ allowed: true });
      expect(second.buckets[0]?.remaining).toBe(300);
      // Used 1,000 instead of 600: the bucket goes 100 into debt; 100 tokens need 6 s to refill.
      await limiter.settle(second.reservation!, 1_000);
      const refused = await limiter.check({ rules, estimatedTokens: 0 });
      expect(refused.buckets[0]?.remaining).toBe(0);
      const next = await limiter.check({ rules, estimatedTokens: 1 });
      expect(next).toMatchObject({ allowed: false, reason: 'limited', retryAfterMs: 6_060 });
      await limiter.close();
    });

    it('refuses as too_large a request that exceeds a whole minute of tokens', async () => {
      const { limiter } = await setup();
      const rules: RateLimitRule[] = [{ scope: uniqueScope('key'), tokensPerMinute: 1_000 }];
      const decision = await limiter.check({ rules, estimatedTokens: 1_001 });
      expect(decision).toMatchObject({ allowed: false, reason: 'too_large' });
      expect(decision.retryAfterMs).toBeUndefined();
      await limiter.close();
    });

    it('keeps scopes apart', async () => {
      const { limiter } = await setup();
      const a = [{ scope: uniqueScope('a'), requestsPerMinute: 1 }];
      const b = [{ scope: uniqueScope('b'), requestsPerMinute: 1 }];
      expect((await limiter.check({ rules: a, estimatedTokens: 0 })).allowed).toBe(true);
      expect((await limiter.check({ rules: b, estimatedTokens: 0 })).allowed).toBe(true);
      expect((await limiter.check({ rules: a, estimatedTokens: 0 })).allowed).toBe(false);
      await limiter.close();
    });

    it('admits everything when no rule applies', async () => {
      const { limiter } = await setup();
      expect(await limiter.check({ rules: [], estimatedTokens: 10 })).toMatchObject({ allowed: true, buckets: [] });
      await limiter.close();
    });
  });
}
