import { loadConfigFile } from './assembly/load-config.js';
import { createAuditFeedbackSink } from './audit/audit-feedback-sink.js';
import { buildApp } from './http/app.js';
import { createGracefulDrain, type DrainOptions, type DrainReport } from './http/graceful-drain.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createGatewayRuntime } from './pipeline/gateway-runtime.js';
import { createMetrics } from './observability/metrics.js';
import { metricsScopeFromConfig } from './assembly/metrics-scope.js';
import { createSharedServices } from './pipeline/shared-services.js';
import { meteringEventSubscriber } from './observability/metering-event-subscriber.js';
import { warnUnpricedDeployments } from './metering/unpriced-deployments.js';
import { createReleaseMetricsObserver, recordEvaluations } from './observability/release-metrics-observer.js';
import { subscribeGatewayEvents } from './observability/gateway-event-subscribers.js';

export interface StartOptions {
  configPath: string;
  /** Overrides server.port (0 picks a free port). */
  port?: number;
  host?: string;
  logger?: Logger;
}

export interface RunningGateway {
  url: string;
  /** How to reach the admin API with the bootstrap key (never the key itself). */
  adminHint?: string;
  close(): Promise<void>;
  /** SIGTERM: readiness off, grace, finish in-flight work up to the deadline, then close() (flushes audit and spend). */
  drain(options?: DrainOptions): Promise<DrainReport>;
  /** A second signal during drain: go to the deadline now. */
  hurry(): void;
  /** Re-reads the config file; on any problem keeps the running config and throws. */
  reload(): Promise<void>;
}

/** Composition root: load config → open shared services → build runtime and app → listen. */
export async function startGateway(options: StartOptions): Promise<RunningGateway> {
  const loaded = loadConfigFile(options.configPath);
  const logger = options.logger ?? createLogger(process.env.LOG_LEVEL ?? loaded.config.logging.level);
  const metrics = createMetrics(metricsScopeFromConfig(loaded.config));
  // Circuit, health, budget and authentication events arrive on observability/channels.ts.
  const unsubscribeEvents = subscribeGatewayEvents(logger, metrics);
  const services = await createSharedServices(loaded, {
    logger,
    onRateLimitBackendError: (error) => logger.warn({ err: error }, 'rate-limit store unavailable'),
    onEvaluations: (evaluations) => recordEvaluations(metrics, evaluations),
    onMeteringEvent: meteringEventSubscriber(logger, metrics),
  }).catch((error: unknown) => {
    unsubscribeEvents();
    throw error;
  });
  warnUnpricedDeployments(loaded, services.metering.prices, logger);
  const watchHealth = (next: ReturnType<typeof createGatewayRuntime>) => {
    services.update(next.loaded, next.health ? (deployment) => next.health?.isHealthy(deployment) ?? true : undefined);
  };
  const runtime = createGatewayRuntime(loaded, services);
  watchHealth(runtime);
  // Settings are read when the drain starts, so a reloaded `server.shutdown` applies.
  const drain = createGracefulDrain(() => holder.current.loaded.config.server.shutdown, logger);
  const readinessChecks = [
    async () => {
      if (drain.draining) throw new Error('draining: this replica is shutting down');
    },
    async () => {
      await services.storage.executor.all('SELECT 1 AS ok');
    },
    async () => services.audit?.assertHealthy(),
  ];
  // Validate and build everything first: a bad file throws here and the old config stays.
  const reload = async () => {
    const nextConfig = loadConfigFile(options.configPath);
    // All or nothing: what cannot apply live refuses the whole reload before anything is built.
    const commitServices = services.prepareReload(nextConfig);
    const next = createGatewayRuntime(nextConfig, services, { previous: holder.current });
    watchHealth(next);
    metrics.reconfigure(metricsScopeFromConfig(nextConfig.config));
    const previous = holder.current;
    holder.current = next;
    commitServices();
    warnUnpricedDeployments(nextConfig, services.metering.prices, logger);
    // In-flight requests hold the previous runtime; give them time before closing its pools.
    setTimeout(() => void previous.close(), 30_000).unref();
    logger.info({ config: options.configPath }, 'config reloaded');
  };
  // Ratings are kept with the audit record when there is an audit store.
  const feedbackSink = services.audit ? createAuditFeedbackSink(services.storage.executor) : undefined;
  const observers = [createReleaseMetricsObserver(metrics, () => services.releases.knownIds())];
  const { app, holder } = buildApp({ runtime, logger, readinessChecks, reload, metrics, drain, observers, ...(feedbackSink ? { feedbackSink } : {}) });
  const address = await app.listen({
    port: options.port ?? loaded.config.server.port,
    host: options.host ?? loaded.config.server.host,
  });
  const bootstrap = loaded.config.identity.bootstrap_admin_key;
  const fileReference = bootstrap !== undefined ? /^\$\{file:(.+)\}$/.exec(bootstrap)?.[1] : undefined;
  const adminHint =
    bootstrap === undefined
      ? undefined
      : `admin API: curl -H "Authorization: Bearer <bootstrap admin key from ${fileReference ?? bootstrap}>" ${address}/admin/keys`;
  // The one shutdown path: stop HTTP, then the runtime, then the shared services (which flush the
  // audit queue and spend, and run whatever else must happen at shutdown).
  const close = async () => {
    await app.close();
    await holder.current.close();
    await services.close();
    unsubscribeEvents();
  };
  return {
    url: address,
    ...(adminHint ? { adminHint } : {}),
    close,
    async drain(drainOptions) {
      const report = await drain.drain(drainOptions);
      await close();
      return report;
    },
    hurry: () => drain.hurry(),
    reload,
  };
}
