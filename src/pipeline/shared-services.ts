import type { AuditRuntime } from '../audit/audit-runtime.js';
import type { ApiKeyStore } from '../identity/api-key-store.js';
import type { MeteringRuntime } from '../metering/metering-runtime.js';
import type { GatewayTracing } from '../observability/tracing.js';
import type { ReleaseRuntime } from '../releases/release-runtime.js';
import type { RateLimiter } from '../routing/rate-limiter.js';
import type { TrafficControl } from '../routing/traffic-control.js';
import type { Storage } from '../storage/open-storage.js';

/**
 * State that outlives a config reload, as the stages read it: the database, the audit writer,
 * budgets and spend, circuit breakers, retry budgets, latency statistics and rate-limit buckets.
 * A reload builds a new GatewayRuntime around the same services, so an open circuit stays open,
 * a client's used quota stays used, and the audit chain goes on. Built (with its reload hooks)
 * by assembly/create-shared-services.ts.
 */
export interface SharedServices {
  traffic: TrafficControl;
  limiter: RateLimiter;
  storage: Storage;
  /** Undefined when `audit.enabled: false`. */
  audit: AuditRuntime | undefined;
  metering: MeteringRuntime;
  apiKeyStore: ApiKeyStore;
  /** Undefined when `tracing.enabled` is false: call sites then do nothing. */
  tracing: GatewayTracing | undefined;
  /** Which release serves (polled from storage); promotions and rollbacks outlive config reloads. */
  releases: ReleaseRuntime;
  close(): Promise<void>;
}
