import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from './clock.js';
import {
  bucketCharges,
  tokenCorrections,
  WINDOW_MS,
  type BucketCharge,
  type BucketStatus,
  type RateLimitDecision,
  type RateLimiter,
} from './rate-limiter.js';

/**
 * Rate limits shared by every gateway replica through one Redis. Each check is ONE Lua script,
 * so "read every bucket, decide, deduct from all of them" is atomic: two replicas racing for the
 * last unit of a limit cannot both get it, and the total admitted is the limit, not N× it.
 *
 * Time comes from Redis (`TIME`) unless a clock is injected (tests), so replicas with skewed
 * clocks still share one notion of "now". All keys carry the `{rl}` hash tag so a multi-key
 * script stays within one slot on Redis Cluster.
 */

/** What the limiter needs from a Redis client; an ioredis `Redis` satisfies it. */
export interface RedisScriptClient {
  evalsha(sha: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>;
  eval(script: string, numkeys: number, ...args: Array<string | number>): Promise<unknown>;
}

export interface RedisRateLimiterOptions {
  client: RedisScriptClient;
  /** Prefix of every key (e.g. `switchyard:`); tests use a unique one per run. */
  keyPrefix?: string;
  /** When Redis fails: refuse (default; protects cost) or admit without limiting. */
  onUnavailable?: 'fail_open' | 'fail_closed';
  /** Called on every Redis failure, for the `ratelimit_backend_errors` metric and a log line. */
  onBackendError?: (error: unknown, mode: 'fail_open' | 'fail_closed') => void;
  /** Omit in production: Redis TIME is the shared clock. */
  clock?: Clock;
  /** Closes the client on close() (when the limiter owns it). */
  ownsClient?: { quit(): Promise<unknown> };
}

/**
 * KEYS: one hash {t: tokens, u: updated ms} per bucket.
 * ARGV: now ('' = Redis TIME), mode ('check' = all-or-nothing admission, 'adjust' = apply the
 * costs unconditionally, for settle), window ms, then capacity and cost per bucket.
 * Returns: allowed (1/0), reason (0 ok, 1 limited, 2 too large), retry-after ms, then
 * remaining and reset ms per bucket. Mirrors token-bucket.ts.
 */
const SCRIPT = `
local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
else
  now = tonumber(ARGV[1])
end
local mode = ARGV[2]
local window = tonumber(ARGV[3])
local tokens, updated = {}, {}
local reason, wait = 0, 0
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[2 + 2 * i])
  local cost = tonumber(ARGV[3 + 2 * i])
  local state = redis.call('HMGET', KEYS[i], 't', 'u')
  local t, u = tonumber(state[1]), tonumber(state[2])
  if t == nil or u == nil then
    t, u = capacity, now
  else
    local elapsed = math.max(0, now - u)
    t = math.min(capacity, t + elapsed * capacity / window)
    u = math.max(u, now)
  end
  tokens[i], updated[i] = t, u
  if mode == 'check' then
    if cost > capacity then
      reason = 2
    elseif t < cost then
      if reason == 0 then reason = 1 end
      wait = math.max(wait, math.ceil((cost - t) * window / capacity))
    end
  end
end
local allowed = reason == 0
local result = { allowed and 1 or 0, reason, wait }
for i = 1, #KEYS do
  local capacity = tonumber(ARGV[2 + 2 * i])
  local t = tokens[i]
  if allowed then
    t = math.min(capacity, t - tonumber(ARGV[3 + 2 * i]))
    redis.call('HSET', KEYS[i], 't', tostring(t), 'u', tostring(updated[i]))
    redis.call('PEXPIRE', KEYS[i], math.ceil((capacity - t) * window / capacity) + window)
  end
  result[#result + 1] = math.max(0, math.floor(t))
  result[#result + 1] = math.max(0, math.ceil((capacity - t) * window / capacity))
end
return result
`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

export function createRedisRateLimiter(options: RedisRateLimiterOptions): RateLimiter {
  const prefix = options.keyPrefix ?? 'switchyard:';
  const mode = options.onUnavailable ?? 'fail_closed';

  const run = async (charges: BucketCharge[], scriptMode: 'check' | 'adjust'): Promise<number[]> => {
    const keys = charges.map((charge) => `${prefix}{rl}:${charge.kind}:${charge.scope}`);
    const args = [options.clock ? String(options.clock.now()) : '', scriptMode, WINDOW_MS, ...charges.flatMap((charge) => [charge.capacity, charge.cost])];
    let reply: unknown;
    try {
      reply = await options.client.evalsha(SCRIPT_SHA, keys.length, ...keys, ...args);
    } catch (error) {
      // First use on this Redis (or after a restart / SCRIPT FLUSH): send the script itself.
      if (!(error instanceof Error && error.message.includes('NOSCRIPT'))) throw error;
      reply = await options.client.eval(SCRIPT, keys.length, ...keys, ...args);
    }
    if (!Array.isArray(reply) || reply.length !== 3 + 2 * charges.length) throw new Error('Unexpected reply from the rate-limit script.');
    return reply.map(Number);
  };

  return {
    async check(request) {
      const charges = bucketCharges(request);
      if (charges.length === 0) return { allowed: true, buckets: [] };
      let reply: number[];
      try {
        reply = await run(charges, 'check');
      } catch (error) {
        options.onBackendError?.(error, mode);
        // fail_open: availability over limits. fail_closed: no unmetered spend while blind.
        if (mode === 'fail_open') return { allowed: true, degraded: true, buckets: [] };
        return { allowed: false, reason: 'backend_unavailable', retryAfterMs: 1_000, buckets: [] };
      }
      const [allowedFlag, reasonCode, retryAfterMs] = reply;
      const buckets: BucketStatus[] = charges.map((charge, index) => ({
        scope: charge.scope,
        kind: charge.kind,
        limit: charge.capacity,
        remaining: reply[3 + 2 * index] ?? 0,
        resetMs: reply[4 + 2 * index] ?? 0,
      }));
      if (allowedFlag === 1) return { allowed: true, buckets, reservation: { rules: request.rules, estimatedTokens: request.estimatedTokens } };
      const decision: RateLimitDecision = { allowed: false, reason: reasonCode === 2 ? 'too_large' : 'limited', buckets };
      if (reasonCode !== 2) decision.retryAfterMs = retryAfterMs ?? 0;
      return decision;
    },
    async settle(reservation, actualTokens) {
      const corrections = tokenCorrections(reservation, actualTokens);
      if (corrections.length === 0) return;
      try {
        await run(corrections, 'adjust');
      } catch (error) {
        // A lost correction only skews one minute of accounting; never fail a finished request.
        options.onBackendError?.(error, mode);
      }
    },
    async close() {
      await options.ownsClient?.quit();
    },
  };
}

export interface LimiterRedisClientOptions {
  url: string;
  connectTimeoutMs?: number;
  /** Bounds every limiter call, queueing while disconnected included, so fail_* applies quickly. */
  commandTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

/** An ioredis client tuned for the limiter: fail fast rather than hold requests while Redis is away. */
export function createLimiterRedisClient(options: LimiterRedisClientOptions): Redis {
  const client = new Redis(options.url, {
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    commandTimeout: options.commandTimeoutMs ?? 250,
    // One retry on reconnect, then the command fails and the fail mode decides.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  // Without a listener ioredis prints every connection error; route them to the caller's logger.
  client.on('error', (error: unknown) => options.onError?.(error));
  return client;
}
