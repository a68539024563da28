import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { LoadedConfig } from '../assembly/load-config.js';
import { createAuditRuntime, type AuditRuntime } from '../audit/audit-runtime.js';
import { defaultAuditSecretPath, loadOrCreateAuditSecret } from '../audit/default-audit-secret.js';
import type { ApiKeyStore } from '../identity/api-key-store.js';
import { apiKeyStoreFor } from '../identity/open-api-key-store.js';
import { createMeteringRuntime, type MeteringRuntime } from '../metering/metering-runtime.js';
import type { BudgetThresholdEvent } from '../metering/budget-enforcer.js';
import type { MeteringEvent } from '../metering/metering-events.js';
import { prepareServicesReload } from './prepare-services-reload.js';
import { createRateLimiter } from '../routing/create-rate-limiter.js';
import type { RateLimiter } from '../routing/rate-limiter.js';
import { createTrafficControl, type TrafficControl, type TrafficSettings } from '../routing/traffic-control.js';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import { openStorage, type Storage } from '../storage/open-storage.js';
import { parseStorageUrl } from '../storage/storage-url.js';
import { createTracing, type GatewayTracing } from '../observability/tracing.js';
import { subscribeTracing } from '../observability/trace-subscriber.js';
import { isSecretReference } from '../model/secret-reference.js';
import { createReleaseRuntime, type ReleaseRuntime } from '../releases/release-runtime.js';
import { snapshotRelease } from '../releases/release-content.js';
import { createSqlReleaseStore } from '../releases/sql-release-store.js';
import type { ReleaseEvaluation, ReleaseState } from '../releases/release-store.js';

/**
 * State that outlives a config reload: the database, the audit writer, budgets and spend,
 * circuit breakers, retry budgets, latency statistics and rate-limit buckets. A reload builds a
 * new GatewayRuntime around the same services, so an open circuit stays open, a client's used
 * quota stays used, and the audit chain goes on. Storage, audit and metering settings take
 * effect at the next restart.
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
  /** Applies a (re)loaded config to the long-lived state, with the new runtime's health checks. */
  update(loaded: LoadedConfig, isHealthy?: (deployment: string) => boolean): void;
  /**
   * Checks that a new config can apply live and builds its prices and budgets; returns the switch
   * to call once the new runtime is in place. Throws ConfigError naming every reason it cannot
   * (then nothing changed). See prepare-services-reload.ts.
   */
  prepareReload(next: LoadedConfig): () => void;
  close(): Promise<void>;
}

export interface SharedServicesOptions {
  logger?: Logger;
  /** Each failure of the rate-limit store (metrics and logs subscribe). */
  onRateLimitBackendError?: (error: unknown) => void;
  /** A budget crossed a soft threshold. */
  onBudgetEvent?: (event: BudgetThresholdEvent) => void;
  /** Every metering event: over-reservation, clamped usage, unpriced traffic, thresholds. */
  onMeteringEvent?: (event: MeteringEvent) => void;
  /** The promotion state this replica serves changed (a promote or rollback became live here). */
  onReleaseChange?: (state: ReleaseState) => void;
  /** The newest published evaluation per release, at every poll. */
  onEvaluations?: (evaluations: ReleaseEvaluation[]) => void;
}

function trafficSettings(loaded: LoadedConfig, isHealthy?: (deployment: string) => boolean): TrafficSettings {
  return { routing: loaded.config.routing, deployments: loaded.config.deployments, ...(isHealthy ? { isHealthy } : {}) };
}

function auditSecret(loaded: LoadedConfig, logger: Logger | undefined): string {
  const { audit, storage } = loaded.config;
  if (audit.secret !== undefined) return loaded.secret(audit.secret);
  const location = parseStorageUrl(storage.url);
  if (location.kind === 'postgres') throw new Error('audit.secret is required with PostgreSQL storage: every replica must sign with the same key');
  // An in-memory database dies with the process, and so may its key.
  if (location.path === ':memory:') return randomBytes(32).toString('base64url');
  const path = defaultAuditSecretPath(location.path);
  const { secret, created } = loadOrCreateAuditSecret(path);
  if (created) logger?.warn({ path }, 'audit.secret is not configured: created a random audit key beside the database; set audit.secret for production');
  return secret;
}

export async function createSharedServices(loaded: LoadedConfig, options: SharedServicesOptions = {}): Promise<SharedServices> {
  const { config } = loaded;
  const report = (what: string) => (error: unknown) => options.logger?.error({ err: error }, what);
  // Resolve the audit key before touching the database, so a missing key fails fast and changes nothing.
  const secret = config.audit.enabled ? auditSecret(loaded, options.logger) : undefined;
  const storage = config.storage.migrate_on_start
    ? await openMigratedStorage(config.storage.url, ALL_MIGRATIONS, { maxConnections: config.storage.max_connections })
    : await openStorage(config.storage.url, { maxConnections: config.storage.max_connections });
  const audit =
    secret !== undefined ? createAuditRuntime({ config: config.audit, storage, secret, resolveSecret: (reference) => loaded.secret(reference), onError: report('audit store failure') }) : undefined;
  const metering = createMeteringRuntime({
    config: config.metering,
    deployments: config.deployments,
    baseDirectory: loaded.baseDirectory,
    storage,
    ...(options.onMeteringEvent ? { onEvent: options.onMeteringEvent } : {}),
    onBudgetEvent: (event) => {
      options.logger?.warn({ budget: event }, 'budget threshold reached');
      options.onBudgetEvent?.(event);
    },
    onError: report('metering store failure'),
  });
  const traffic = createTrafficControl(trafficSettings(loaded));
  const limiter = createRateLimiter({
    redis: config.redis,
    resolveSecret: (reference) => loaded.secret(reference),
    ...(options.onRateLimitBackendError ? { onBackendError: options.onRateLimitBackendError } : {}),
  });
  const releases = await createReleaseRuntime({
    store: createSqlReleaseStore(storage.executor),
    base: snapshotRelease(config),
    pollIntervalMs: config.releases.poll_interval_seconds * 1000,
    onError: report('release store unreachable: keeping the releases in force'),
    ...(options.onEvaluations ? { onEvaluations: options.onEvaluations } : {}),
    onChange: (state) => {
      options.logger?.info({ releases: state }, 'release state changed');
      options.onReleaseChange?.(state);
    },
  }).catch(async (error: unknown) => {
    await storage.close();
    // Fail closed: without the promotion state the gateway cannot know which release may serve.
    throw new Error(`the release store cannot be read (${error instanceof Error ? error.message : String(error)}); run \`switchyard migrate\` or check storage.url`, { cause: error });
  });
  const tracing = createTracing(config.tracing, (value) => (isSecretReference(value) ? loaded.secret(value) : value));
  let stopTracing: (() => void) | undefined;
  const services: SharedServices = {
    traffic,
    limiter,
    tracing,
    storage,
    audit,
    metering,
    apiKeyStore: apiKeyStoreFor(storage),
    releases,
    update(next, isHealthy) {
      traffic.update(trafficSettings(next, isHealthy));
      releases.setBase(snapshotRelease(next.config));
    },
    prepareReload: (next) => prepareServicesReload(loaded, next, metering, (message) => options.logger?.warn(message)),
    async close() {
      traffic.dispose();
      releases.close();
      stopTracing?.();
      await tracing?.shutdown();
      // Flush the audit queue before the database goes away.
      await audit?.close();
      await metering.close();
      await limiter.close();
      await storage.close();
    },
  };
  // Spans come from the pipeline's events (observability/channels.ts), for this gateway only.
  stopTracing = tracing ? subscribeTracing(tracing, services) : undefined;
  return services;
}
