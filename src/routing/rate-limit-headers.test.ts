import { describe, expect, it } from 'vitest';
import { formatResetDuration, rateLimitedError, rateLimitHeaders } from './rate-limit-headers.js';
import type { RateLimitDecision } from './rate-limiter.js';

describe('rateLimitHeaders', () => {
  it('reports the most constraining bucket of each kind', () => {
    const decision: RateLimitDecision = {
      allowed: true,
      buckets: [
        { scope: 'key:k', kind: 'requests', limit: 100, remaining: 90, resetMs: 6_000 },
        { scope: 'team:t', kind: 'requests', limit: 1_000, remaining: 50, resetMs: 57_000 },
        { scope: 'key:k', kind: 'tokens', limit: 40_000, remaining: 39_000, resetMs: 1_500 },
      ],
    };
    expect(rateLimitHeaders(decision)).toEqual({
      'x-ratelimit-limit-requests': '1000',
      'x-ratelimit-remaining-requests': '50',
      'x-ratelimit-reset-requests': '57s',
      'x-ratelimit-limit-tokens': '40000',
      'x-ratelimit-remaining-tokens': '39000',
      'x-ratelimit-reset-tokens': '1.5s',
    });
  });

  it('adds Retry-After, rounded up to whole seconds, on a refusal', () => {
    const headers = rateLimitHeaders({ allowed: false, reason: 'limited', retryAfterMs: 600, buckets: [] });
    expect(headers).toEqual({ 'retry-after': '1', 'retry-after-ms': '600' });
  });
});

describe('formatResetDuration', () => {
  it.each([
    [20, '20ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [360_000, '6m0s'],
    [3_723_000, '1h2m3s'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });
});

describe('rateLimitedError', () => {
  it('is a 429 rate_limited error naming the exhausted limit, with Retry-After', () => {
    const error = rateLimitedError({
      allowed: false,
      reason: 'limited',
      retryAfterMs: 2_400,
      buckets: [{ scope: 'key:ci', kind: 'requests', limit: 100, remaining: 0, resetMs: 60_000 }],
    });
    expect([error.status, error.code, error.retryAfterSeconds]).toEqual([429, 'rate_limited', 3]);
    expect(error.message).toBe('Rate limit reached on requests per minute for key:ci (limit 100).');
  });

  it('explains a request too large for any minute, without a Retry-After', () => {
    const error = rateLimitedError({
      allowed: false,
      reason: 'too_large',
      buckets: [{ scope: 'key:ci', kind: 'tokens', limit: 1_000, remaining: 1_000, resetMs: 0 }],
    });
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.message).toContain('1000 tokens per minute (key:ci)');
  });
});
