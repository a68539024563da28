import { GatewayError } from '../errors/gateway-error.js';
import type { BucketStatus, LimitKind, RateLimitDecision } from './rate-limiter.js';

/**
 * OpenAI-style rate-limit headers, so clients and SDKs that already pace themselves on OpenAI's
 * headers pace themselves on the gateway's limits unchanged:
 * `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`. When several buckets apply (key,
 * team, model), each trio reports the most constraining one — the one the client will hit first.
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const satisfies readonly LimitKind[]) {
    const bucket = tightest(decision.buckets.filter((candidate) => candidate.kind === kind));
    if (!bucket) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(bucket.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(bucket.remaining);
    headers[`x-ratelimit-reset-${kind}`] = formatResetDuration(bucket.resetMs);
  }
  if (!decision.allowed && decision.retryAfterMs !== undefined) {
    // Retry-After is whole seconds (RFC 9110); round up so a client never comes back too early.
    headers['retry-after'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
    headers['retry-after-ms'] = String(Math.max(0, Math.ceil(decision.retryAfterMs)));
  }
  return headers;
}

function tightest(buckets: BucketStatus[]): BucketStatus | undefined {
  return buckets.reduce<BucketStatus | undefined>((best, bucket) => {
    if (!best) return bucket;
    const ratio = bucket.remaining / bucket.limit;
    const bestRatio = best.remaining / best.limit;
    if (ratio !== bestRatio) return ratio < bestRatio ? bucket : best;
    return bucket.resetMs > best.resetMs ? bucket : best;
  }, undefined);
}

/** Go-style durations as OpenAI sends them: `20ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`. */
export function formatResetDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.ceil(milliseconds));
  if (ms < 1_000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = `${Number(((ms % 60_000) / 1000).toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}

/** The 429 for a refused request; the error handler sets Retry-After from retryAfterSeconds. */
export function rateLimitedError(decision: RateLimitDecision): GatewayError {
  const retryAfterSeconds = decision.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  const options = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  switch (decision.reason) {
    case 'too_large': {
      const tokens = decision.buckets.find((bucket) => bucket.kind === 'tokens' && bucket.remaining < bucket.limit) ?? decision.buckets.find((bucket) => bucket.kind === 'tokens');
      const limit = tokens ? ` of ${tokens.limit} tokens per minute (${tokens.scope})` : '';
      return new GatewayError('rate_limited', `The request is larger than the rate limit${limit}; shorten it or lower max_tokens.`, options);
    }
    case 'backend_unavailable':
      return new GatewayError('rate_limited', 'Rate limits cannot be checked right now (the limit store is unreachable); retry shortly.', options);
    default: {
      const bucket = tightest(decision.buckets.filter((candidate) => candidate.remaining === 0)) ?? decision.buckets[0];
      const what = bucket ? ` on ${bucket.kind} per minute for ${bucket.scope} (limit ${bucket.limit})` : '';
      return new GatewayError('rate_limited', `Rate limit reached${what}.`, options);
    }
  }
}
