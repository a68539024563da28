import type { RetryPolicyConfig } from './routing-config-schema.js';

export type BackoffOptions = Pick<RetryPolicyConfig, 'base_backoff_ms' | 'max_backoff_ms' | 'max_retry_after_ms'>;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and
 * Jitter"): the wait is uniform in [0, min(max, base·2^(n-1))]. Full jitter spreads the
 * retries of many clients that failed at the same moment, instead of having them hit the
 * recovering upstream again in lockstep.
 *
 * @param retryNumber 1 for the first retry of a deployment, 2 for the second, …
 */
export function fullJitterBackoffMs(retryNumber: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.max(0, retryNumber - 1);
  // Cap the exponent so 2ⁿ cannot overflow to Infinity on absurd attempt counts.
  const ceiling = Math.min(options.max_backoff_ms, options.base_backoff_ms * 2 ** Math.min(exponent, 30));
  return Math.floor(random() * ceiling);
}

/**
 * How long to wait before trying a deployment again. An upstream's own Retry-After wins over our
 * guess (it knows when its quota refills), but is capped: a provider asking for ten minutes
 * must not hold a client connection for ten minutes.
 */
export function retryDelayMs(
  retryNumber: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs)) return Math.min(Math.max(0, retryAfterMs), options.max_retry_after_ms);
  return fullJitterBackoffMs(retryNumber, options, random);
}
