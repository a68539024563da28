import { systemClock, type Clock } from './clock.js';
import {
  bucketCharges,
  tokenCorrections,
  type BucketStatus,
  type RateLimitDecision,
  type RateLimiter,
} from './rate-limiter.js';
import { msUntil, refill, type BucketState } from './token-bucket.js';

/**
 * Rate limits held in this process: exact for a single gateway replica. With N replicas each
 * would allow the full limit (N× overall) — configure `redis:` for limits across replicas.
 */
export interface MemoryRateLimiterOptions {
  clock?: Clock;
  /** Buckets kept at most; the least recently used ones (full again anyway, usually) are dropped. */
  maxBuckets?: number;
}

export function createMemoryRateLimiter(options: MemoryRateLimiterOptions = {}): RateLimiter {
  const clock = options.clock ?? systemClock;
  const maxBuckets = options.maxBuckets ?? 100_000;
  const buckets = new Map<string, BucketState>();

  const store = (key: string, state: BucketState) => {
    // Re-insert so Map order is least-recently-used first.
    buckets.delete(key);
    buckets.set(key, state);
    if (buckets.size > maxBuckets) {
      const oldest = buckets.keys().next().value;
      if (oldest !== undefined) buckets.delete(oldest);
    }
  };

  return {
    async check(request) {
      const now = clock.now();
      const charges = bucketCharges(request);
      const states = charges.map((charge) => refill(buckets.get(`${charge.scope}|${charge.kind}`), charge.capacity, now));
      let reason: RateLimitDecision['reason'];
      let retryAfterMs = 0;
      charges.forEach((charge, index) => {
        const state = states[index]!;
        if (charge.cost > charge.capacity) reason = 'too_large';
        else if (state.tokens < charge.cost) {
          reason ??= 'limited';
          retryAfterMs = Math.max(retryAfterMs, msUntil(state.tokens, charge.cost, charge.capacity));
        }
      });
      const allowed = reason === undefined;
      const statuses: BucketStatus[] = charges.map((charge, index) => {
        const state = states[index]!;
        const after = allowed ? state.tokens - charge.cost : state.tokens;
        if (allowed) store(`${charge.scope}|${charge.kind}`, { tokens: after, updatedAt: state.updatedAt });
        return {
          scope: charge.scope,
          kind: charge.kind,
          limit: charge.capacity,
          remaining: Math.max(0, Math.floor(after)),
          resetMs: msUntil(after, charge.capacity, charge.capacity),
        };
      });
      if (!allowed) return { allowed, reason, buckets: statuses, ...(reason === 'limited' ? { retryAfterMs } : {}) };
      return { allowed, buckets: statuses, reservation: { rules: request.rules, estimatedTokens: request.estimatedTokens } };
    },
    async settle(reservation, actualTokens) {
      const now = clock.now();
      for (const correction of tokenCorrections(reservation, actualTokens)) {
        const key = `${correction.scope}|${correction.kind}`;
        const state = refill(buckets.get(key), correction.capacity, now);
        store(key, { tokens: Math.min(correction.capacity, state.tokens - correction.cost), updatedAt: state.updatedAt });
      }
    },
    async close() {
      buckets.clear();
    },
  };
}
