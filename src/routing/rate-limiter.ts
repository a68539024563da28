import type { RateLimitConfig, RateLimitsConfig } from './routing-config-schema.js';

/**
 * The rate-limiter contract, shared by the in-memory limiter (one replica) and the Redis one
 * (every replica sharing one budget). Limits are token buckets refilled continuously: a limit of
 * N per minute holds at most N and refills N/60 000 per ms, so a client may burst up to N and
 * then proceeds at the steady rate — the model OpenAI's own x-ratelimit-* headers describe.
 *
 * A request is checked against several buckets at once (its key, its team, its model alias;
 * requests and tokens each) and is admitted only if every bucket has room — all-or-nothing, so a
 * request refused by the team limit does not consume the key's budget.
 */
export type LimitKind = 'requests' | 'tokens';

/** One limited subject, e.g. `key:ci-bot`, `team:research`, `model:chat-default`. */
export interface RateLimitRule {
  scope: string;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

export interface RateLimitRequest {
  rules: readonly RateLimitRule[];
  /** Tokens the request is expected to use (prompt estimate + max output); corrected by settle(). */
  estimatedTokens: number;
}

export interface BucketStatus {
  scope: string;
  kind: LimitKind;
  limit: number;
  /** Whole units left after this request (never below 0 in reports). */
  remaining: number;
  /** Milliseconds until the bucket is full again (OpenAI's "reset"). */
  resetMs: number;
}

export type RefusalReason =
  /** A bucket lacks room now; retryAfterMs says when it will have it. */
  | 'limited'
  /** The request costs more than a bucket can ever hold (tokens estimate > tokens per minute). */
  | 'too_large'
  /** The shared store is unreachable and the limiter is configured fail_closed. */
  | 'backend_unavailable';

export interface RateLimitDecision {
  allowed: boolean;
  reason?: RefusalReason;
  retryAfterMs?: number;
  buckets: BucketStatus[];
  /** Pass to settle() with the real token usage; undefined when nothing was reserved. */
  reservation?: RateLimitReservation;
  /** True when admitted only because the store is down and the limiter fails open. */
  degraded?: boolean;
}

export interface RateLimitReservation {
  rules: readonly RateLimitRule[];
  estimatedTokens: number;
}

export interface RateLimiter {
  check(request: RateLimitRequest): Promise<RateLimitDecision>;
  /**
   * Corrects the token buckets once the real usage is known: refunds an over-estimate, charges
   * an under-estimate (a bucket may go into debt, delaying the next requests). Pass 0 when the
   * request was aborted before the upstream produced anything.
   */
  settle(reservation: RateLimitReservation, actualTokens: number): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitSubject {
  /** The key's bucket is `key:<keyId>`. */
  keyId?: string | undefined;
  /** Which `per_key.overrides` entry applies (a virtual key's rateLimitRef); defaults to keyId. */
  keyLimitName?: string | undefined;
  team?: string | undefined;
  alias?: string | undefined;
}

/** The rules that apply to one request: per key, per team and per model alias, override before default. */
export function resolveRateLimitRules(config: RateLimitsConfig, subject: RateLimitSubject): RateLimitRule[] {
  const rules: RateLimitRule[] = [];
  const add = (prefix: string, name: string | undefined, scope: RateLimitsConfig['per_key'], limitName = name) => {
    if (name === undefined) return;
    // Own-property lookup: a key named "constructor" must not find Object.prototype's.
    const override = limitName !== undefined && Object.hasOwn(scope.overrides, limitName) ? scope.overrides[limitName] : undefined;
    const limit = override ?? scope.default;
    if (limit) rules.push(toRule(`${prefix}:${name}`, limit));
  };
  add('key', subject.keyId, config.per_key, subject.keyLimitName ?? subject.keyId);
  add('team', subject.team, config.per_team);
  add('model', subject.alias, config.per_model);
  return rules;
}

function toRule(scope: string, limit: RateLimitConfig): RateLimitRule {
  return {
    scope,
    ...(limit.requests_per_minute === undefined ? {} : { requestsPerMinute: limit.requests_per_minute }),
    ...(limit.tokens_per_minute === undefined ? {} : { tokensPerMinute: limit.tokens_per_minute }),
  };
}

/** The buckets a request touches, with what it costs in each. */
export interface BucketCharge {
  scope: string;
  kind: LimitKind;
  capacity: number;
  cost: number;
}

export function bucketCharges(request: RateLimitRequest): BucketCharge[] {
  const charges: BucketCharge[] = [];
  for (const rule of request.rules) {
    if (rule.requestsPerMinute !== undefined) charges.push({ scope: rule.scope, kind: 'requests', capacity: rule.requestsPerMinute, cost: 1 });
    if (rule.tokensPerMinute !== undefined) {
      charges.push({ scope: rule.scope, kind: 'tokens', capacity: rule.tokensPerMinute, cost: Math.max(0, Math.ceil(request.estimatedTokens)) });
    }
  }
  return charges;
}

/** Token-bucket corrections for settle(): actual − estimated on every tokens bucket. */
export function tokenCorrections(reservation: RateLimitReservation, actualTokens: number): BucketCharge[] {
  const delta = Math.ceil(actualTokens) - Math.ceil(reservation.estimatedTokens);
  if (delta === 0) return [];
  return reservation.rules.flatMap((rule) =>
    rule.tokensPerMinute === undefined ? [] : [{ scope: rule.scope, kind: 'tokens' as const, capacity: rule.tokensPerMinute, cost: delta }],
  );
}

export const WINDOW_MS = 60_000;
