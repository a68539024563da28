import { WINDOW_MS } from './rate-limiter.js';

/**
 * Token-bucket arithmetic for the in-memory limiter. redis-rate-limiter.ts runs the same steps
 * in Lua; the shared conformance suite (test/support/routing/rate-limiter-conformance.ts) holds both to it.
 */
export interface BucketState {
  tokens: number;
  updatedAt: number;
}

/** The bucket's content at `now`: refilled at capacity/minute, never above capacity. */
export function refill(state: BucketState | undefined, capacity: number, now: number): BucketState {
  if (!state) return { tokens: capacity, updatedAt: now };
  // Time never runs backwards for a bucket (replica clock skew): take the later instant.
  const elapsed = Math.max(0, now - state.updatedAt);
  return { tokens: Math.min(capacity, state.tokens + (elapsed * capacity) / WINDOW_MS), updatedAt: Math.max(now, state.updatedAt) };
}

/** Milliseconds until `tokens` reaches `wanted` at the bucket's refill rate. */
export function msUntil(tokens: number, wanted: number, capacity: number): number {
  return tokens >= wanted ? 0 : Math.ceil(((wanted - tokens) * WINDOW_MS) / capacity);
}
