import type { LoadedConfig } from '../config/load-config.js';
import { createRateLimiter } from '../routing/create-rate-limiter.js';
import type { RateLimiter } from '../routing/rate-limiter.js';
import { createTrafficControl, type TrafficControl, type TrafficSettings } from '../routing/traffic-control.js';

/**
 * State that outlives a config reload: circuit breakers, retry budgets, latency statistics and
 * rate-limit buckets. A reload builds a new GatewayRuntime around the same services, so an open
 * circuit stays open and a client's used quota stays used.
 */
export interface SharedServices {
  traffic: TrafficControl;
  limiter: RateLimiter;
  /** Applies a reloaded config to the long-lived state. */
  update(loaded: LoadedConfig): void;
  close(): Promise<void>;
}

export interface SharedServicesOptions {
  /** Each failure of the rate-limit store (metrics and logs subscribe). */
  onRateLimitBackendError?: (error: unknown) => void;
}

function trafficSettings(loaded: LoadedConfig): TrafficSettings {
  return { routing: loaded.config.routing, deployments: loaded.config.deployments };
}

export function createSharedServices(loaded: LoadedConfig, options: SharedServicesOptions = {}): SharedServices {
  const traffic = createTrafficControl(trafficSettings(loaded));
  const limiter = createRateLimiter({
    redis: loaded.config.redis,
    resolveSecret: (reference) => loaded.secret(reference),
    ...(options.onRateLimitBackendError ? { onBackendError: options.onRateLimitBackendError } : {}),
  });
  return {
    traffic,
    limiter,
    update(next) {
      traffic.update(trafficSettings(next));
    },
    async close() {
      traffic.dispose();
      await limiter.close();
    },
  };
}
