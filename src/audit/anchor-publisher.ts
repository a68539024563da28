import type { AnchorSink } from './anchor-sinks.js';
import type { AuditStore } from './audit-store.js';
import { signAnchor, type AnchorStatement } from './chain-anchor.js';
import { GENESIS_HASH } from './hash-chain.js';

export interface AnchorPublisher {
  /** Signs the current head and sends it to every sink; resolves when all have answered. */
  publish(reason: AnchorStatement['reason']): Promise<AnchorStatement>;
  /** Stops the timer and publishes a last time (shutdown). */
  close(): Promise<void>;
}

/**
 * Publishes the signed chain head every `intervalMs` (when it moved) and at shutdown. A sink that
 * fails is reported and retried at the next tick; it never blocks requests — the database
 * append already made the record durable, the anchor only bounds what could be hidden later.
 */
export function createAnchorPublisher(options: {
  store: AuditStore;
  secret: string | Buffer;
  sinks: readonly AnchorSink[];
  intervalMs: number;
  onError?: (error: unknown, sink: string) => void;
  now?: () => Date;
}): AnchorPublisher {
  const now = options.now ?? (() => new Date());
  let lastPublished: string | undefined;
  const publish = async (reason: AnchorStatement['reason']): Promise<AnchorStatement> => {
    const head = await options.store.lastRecord();
    const statement = signAnchor(options.secret, {
      seq: head?.seq ?? 0,
      recordId: head?.id ?? null,
      hash: head?.hash ?? GENESIS_HASH,
      time: now().toISOString(),
      reason,
    });
    const results = await Promise.allSettled(options.sinks.map((sink) => sink.publish(statement)));
    let failed = false;
    for (const [index, result] of results.entries()) {
      if (result.status === 'rejected') {
        failed = true;
        options.onError?.(result.reason, options.sinks[index]!.description);
      }
    }
    if (!failed) lastPublished = `${statement.seq}:${statement.hash}`;
    return statement;
  };
  const timer = setInterval(() => {
    void (async () => {
      const head = await options.store.lastRecord();
      if (`${head?.seq ?? 0}:${head?.hash ?? GENESIS_HASH}` === lastPublished) return;
      await publish('interval');
    })().catch((error: unknown) => options.onError?.(error, 'audit store'));
  }, options.intervalMs);
  timer.unref();
  return {
    publish,
    async close() {
      clearInterval(timer);
      await publish('shutdown');
    },
  };
}
