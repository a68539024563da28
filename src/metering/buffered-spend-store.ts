import type { SpendEvent, SpendStore } from './spend-store.js';

export interface BufferedSpendStore extends SpendStore {
  /** Writes everything queued; call at shutdown. */
  flush(): Promise<void>;
}

export interface BufferedSpendStoreOptions {
  /** How long an event may wait for others before its group commit. */
  lingerMs?: number;
  maxBatch?: number;
  onError?: (error: unknown) => void;
}

/**
 * Spend events are reporting data: the budget ledger, settled on every request, is what holds
 * caps, and every audit record carries the cost too. So they are written behind the response in
 * group commits — one transaction (and one fsync) per batch instead of per request, which was the
 * largest cost on the gateway's hot path. `record` returns at once; a crash loses at most the
 * last `lingerMs` of events, which the audit records can restore.
 */
export function createBufferedSpendStore(inner: SpendStore, options: BufferedSpendStoreOptions = {}): BufferedSpendStore {
  // 50 ms: a handful of commits (and fsyncs) a second at any load, at most 50 ms of events at risk.
  const lingerMs = options.lingerMs ?? 50;
  const maxBatch = options.maxBatch ?? 1_000;
  let queue: SpendEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length > 0) {
      writing = writing.then(() => inner.recordMany(batch)).catch((error: unknown) => options.onError?.(error));
    }
    return writing;
  };

  return {
    async record(event) {
      queue.push(event);
      if (queue.length >= maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), lingerMs);
    },
    async recordMany(events) {
      for (const event of events) await this.record(event);
    },
    report: async (by, from, to) => {
      // A report sees everything recorded before it was asked for.
      await flush();
      return inner.report(by, from, to);
    },
    flush,
  };
}
