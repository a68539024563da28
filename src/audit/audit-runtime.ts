import type { Storage } from '../storage/open-storage.js';
import { createSqlAuditStore } from './sql-audit-store.js';
import type { AuditConfig } from './audit-config-schema.js';
import type { CaptureMode } from './audit-record.js';
import { applyRetention, writeCheckpoint } from './audit-checkpoints.js';
import { createAuditSpool } from './audit-spool.js';
import type { AuditStore } from './audit-store.js';
import { AuditUnavailableError } from './audit-unavailable-error.js';
import { createAuditWriter, type AuditWriter } from './audit-writer.js';
import { captureModeFor } from './capture-content.js';
import { createAnchorPublisher, type AnchorPublisher } from './anchor-publisher.js';
import { createAnchorSinks } from './create-anchor-sinks.js';

export interface AuditRuntime {
  readonly config: AuditConfig;
  readonly store: AuditStore;
  readonly writer: AuditWriter;
  captureModeFor(dataClass: string | undefined): CaptureMode;
  /** For /readyz and the pipeline's entry: throws AuditUnavailableError (503) while unhealthy. */
  assertHealthy(): void;
  /** Flushes the queue, writes a last checkpoint, stops the timers. */
  close(): Promise<void>;
}

const RETENTION_INTERVAL_MS = 6 * 3_600_000;
const CHECKPOINT_INTERVAL_MS = 3_600_000;

/** Everything the gateway needs for audit, from `audit:` config and the opened storage. */
export function createAuditRuntime(options: {
  config: AuditConfig;
  storage: Storage;
  /** The resolved `audit.secret`. */
  secret: string;
  /** Resolves secret references in anchor sink settings. */
  resolveSecret?: (reference: string) => string;
  onError?: (error: unknown) => void;
}): AuditRuntime {
  const { config, secret } = options;
  const report = options.onError ?? (() => undefined);
  const store = createSqlAuditStore(options.storage.executor);
  const writer = createAuditWriter({
    store,
    secret,
    onFailure: config.on_failure,
    ...(config.on_failure === 'spool' ? { spool: createAuditSpool(config.spool_path) } : {}),
    maxQueue: config.queue.max_records,
    batchSize: config.queue.batch_size,
    lingerMs: config.queue.linger_ms,
    checkpointEvery: config.checkpoint_every,
    durableTimeoutMs: config.durable_timeout_ms,
    onError: report,
  });
  // Quiet gateways write few records; an hourly checkpoint still bounds an undetectable tail cut.
  const timers = [setInterval(() => void writeCheckpoint(store, secret).catch(report), CHECKPOINT_INTERVAL_MS)];
  if (config.retention_days !== undefined) {
    const days = config.retention_days;
    const prune = () => void applyRetention(store, secret, days).catch(report);
    timers.push(setInterval(prune, RETENTION_INTERVAL_MS));
    setTimeout(prune, 60_000).unref();
  }
  for (const timer of timers) timer.unref();
  const sinks = createAnchorSinks(config.anchor, options.resolveSecret ?? ((reference) => reference));
  const anchors: AnchorPublisher | undefined =
    sinks.length > 0
      ? createAnchorPublisher({ store, secret, sinks, intervalMs: config.anchor.interval_seconds * 1000, onError: (error) => report(error) })
      : undefined;
  if (anchors) void anchors.publish('interval').catch(report);

  return {
    config,
    store,
    writer,
    captureModeFor: (dataClass) => captureModeFor(dataClass, config.capture, config.default_capture),
    assertHealthy() {
      if (!writer.healthy()) throw new AuditUnavailableError(config.on_failure === 'spool' ? 'the spool file cannot be written' : 'the audit store is unreachable');
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      await writer.close();
      // After the last record and checkpoint: the anchor vouches for everything written.
      await anchors?.close().catch(report);
      for (const sink of sinks) sink.close?.();
    },
  };
}
