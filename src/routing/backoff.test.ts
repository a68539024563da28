import { describe, expect, it } from 'vitest';
import { fullJitterBackoffMs, retryDelayMs } from './backoff.js';

const options = { base_backoff_ms: 100, max_backoff_ms: 1_000, max_retry_after_ms: 5_000 };

describe('backoff', () => {
  it('doubles the ceiling per retry and caps it at max_backoff_ms', () => {
    const ceiling = (retry: number) => fullJitterBackoffMs(retry, options, () => 0.999_999);
    expect([1, 2, 3, 4, 5, 6].map(ceiling)).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('draws uniformly from zero (full jitter), not from half the ceiling', () => {
    expect(fullJitterBackoffMs(3, options, () => 0)).toBe(0);
    expect(fullJitterBackoffMs(3, options, () => 0.5)).toBe(200);
  });

  it('never overflows on absurd retry numbers', () => {
    expect(fullJitterBackoffMs(5_000, options, () => 0.5)).toBe(500);
  });

  it("prefers the upstream's Retry-After over its own guess, capped", () => {
    expect(retryDelayMs(1, 1_500, options, () => 0)).toBe(1_500);
    expect(retryDelayMs(1, 600_000, options, () => 0)).toBe(5_000);
    expect(retryDelayMs(1, undefined, options, () => 0.5)).toBe(50);
    expect(retryDelayMs(1, 0, options, () => 0.5)).toBe(0);
  });
});
