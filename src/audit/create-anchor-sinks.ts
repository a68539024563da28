import type { AnchorConfig } from './audit-config-schema.js';
import { createFileAnchorSink, createWebhookAnchorSink, type AnchorSink } from './anchor-sinks.js';
import { createS3AnchorSink } from './s3-anchor-sink.js';

/** `audit.anchor.sinks` → sinks, secrets resolved. */
export function createAnchorSinks(config: AnchorConfig, resolveSecret: (reference: string) => string): Array<AnchorSink & { close?(): void }> {
  return config.sinks.map((sink) => {
    switch (sink.type) {
      case 'file':
        return createFileAnchorSink(sink.path);
      case 'webhook':
        return createWebhookAnchorSink({ url: sink.url, timeoutMs: sink.timeout_ms, ...(sink.authorization ? { authorization: resolveSecret(sink.authorization) } : {}) });
      case 's3':
        return createS3AnchorSink({
          bucket: sink.bucket,
          prefix: sink.prefix,
          region: sink.region,
          ...(sink.endpoint ? { endpoint: sink.endpoint } : {}),
          ...(sink.force_path_style !== undefined ? { forcePathStyle: sink.force_path_style } : {}),
          ...(sink.access_key_id && sink.secret_access_key
            ? { credentials: { accessKeyId: resolveSecret(sink.access_key_id), secretAccessKey: resolveSecret(sink.secret_access_key) } }
            : {}),
          ...(sink.object_lock ? { objectLock: { mode: sink.object_lock.mode, retainDays: sink.object_lock.retain_days } } : {}),
        });
    }
  });
}
