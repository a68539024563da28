import type { Clock } from './clock.js';
import { createMemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimiter } from './rate-limiter.js';
import { createLimiterRedisClient, createRedisRateLimiter } from './redis-rate-limiter.js';
import type { RedisConfig } from './routing-config-schema.js';
import { isSecretReference } from '../model/secret-reference.js';

export interface CreateRateLimiterOptions {
  /** The `redis:` section; absent = limits held in this process. */
  redis?: RedisConfig | undefined;
  /** Resolves `${env:…}` / `${file:…}` references (LoadedConfig.secret). */
  resolveSecret?: (reference: string) => string;
  /** Every Redis failure (connection or command), for a metric and a log line. */
  onBackendError?: (error: unknown) => void;
  clock?: Clock;
}

/**
 * The limiter the config asks for. Build it once at startup and close it at shutdown; it does
 * not depend on the rest of the config, so a reload keeps it (and its buckets).
 */
export function createRateLimiter(options: CreateRateLimiterOptions = {}): RateLimiter {
  const { redis } = options;
  if (!redis) return createMemoryRateLimiter(options.clock ? { clock: options.clock } : {});
  const url = isSecretReference(redis.url) ? (options.resolveSecret?.(redis.url) ?? redis.url) : redis.url;
  const client = createLimiterRedisClient({
    url,
    connectTimeoutMs: redis.connect_timeout_ms,
    commandTimeoutMs: redis.command_timeout_ms,
    ...(options.onBackendError ? { onError: options.onBackendError } : {}),
  });
  return createRedisRateLimiter({
    client,
    keyPrefix: redis.key_prefix,
    onUnavailable: redis.on_unavailable,
    ...(options.onBackendError ? { onBackendError: (error: unknown) => options.onBackendError?.(error) } : {}),
    ownsClient: { quit: () => client.quit().catch(() => client.disconnect()) },
  });
}
