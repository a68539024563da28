import { randomUUID } from 'node:crypto';
import type { AuditRecordInput } from './audit-record.js';
import { writeCheckpoint } from './audit-checkpoints.js';
import type { AuditSpool, SpooledRecord } from './audit-spool.js';
import type { AuditStore } from './audit-store.js';
import { AuditUnavailableError } from './audit-unavailable-error.js';
import { sealRecords } from './hash-chain.js';

export interface AuditWriterOptions {
  store: AuditStore;
  secret: string | Buffer;
  /** `reject`: while the store fails the writer is unhealthy (pipeline answers 503). `spool`: fall back to `spool`. */
  onFailure: 'reject' | 'spool';
  spool?: AuditSpool;
  maxQueue?: number;
  batchSize?: number;
  /** How long a record may wait for companions before a group commit. */
  lingerMs?: number;
  /** Wait before retrying a failed store (and before trying to replay the spool). */
  retryDelayMs?: number;
  /** A signed checkpoint after this many committed records. */
  checkpointEvery?: number;
  /** `appendDurable` gives up (with AuditUnavailableError) after this long; the record stays queued. */
  durableTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

export interface AuditWriterStats {
  queued: number;
  committed: number;
  spooled: number;
  replayed: number;
  /** Refused because the queue was full; each one was also an error returned to the caller. */
  dropped: number;
  healthy: boolean;
}

export interface AuditWriter {
  /** Fire-and-forget: queued for the next group commit. Throws AuditUnavailableError when full. */
  append(record: AuditRecordInput): void;
  /** Resolves once the record is committed to the store or fsync'd to the spool. */
  appendDurable(record: AuditRecordInput): Promise<void>;
  /** False when new requests should be refused with 503 (see `onFailure`). */
  healthy(): boolean;
  stats(): AuditWriterStats;
  /** Resolves when everything queued so far is committed or spooled. */
  flush(): Promise<void>;
  /** Flushes (for at most `timeoutMs`), writes a final checkpoint and stops. */
  close(timeoutMs?: number): Promise<void>;
}

interface DurableWaiter {
  /** performance.now() after which the caller is told the store did not confirm in time. */
  deadline: number;
  settled: boolean;
  reject: (error: Error) => void;
}

interface Entry {
  record: SpooledRecord;
  done?: { resolve: () => void; reject: (error: Error) => void };
}

/**
 * A bounded queue in front of the audit store. Requests only enqueue; one loop drains the
 * queue in batches, each batch one transaction (group commit), so audit never sits on the
 * response path except where a caller chooses to await durability.
 */
export function createAuditWriter(options: AuditWriterOptions): AuditWriter {
  const maxQueue = options.maxQueue ?? 10_000;
  const batchSize = options.batchSize ?? 200;
  const lingerMs = options.lingerMs ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 1_000;
  const checkpointEvery = options.checkpointEvery ?? 1_000;
  const durableTimeoutMs = options.durableTimeoutMs ?? 5_000;
  const { store, secret, spool } = options;
  if (options.onFailure === 'spool' && !spool) throw new Error('audit on_failure: spool needs a spool file');

  const queue: Entry[] = [];
  const counters = { committed: 0, spooled: 0, replayed: 0, dropped: 0 };
  let storeDown = false;
  let spoolBroken = false;
  // Spooled records must reach the store before anything newer, to keep the chain in order.
  let spoolPending = false;
  let nextReplayAt = 0;
  let running = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let timerDue = 0;
  let immediate: NodeJS.Immediate | undefined;
  let sinceCheckpoint = 0;
  let idleWaiters: Array<() => void> = [];

  const report = (error: unknown) => options.onError?.(error);

  // Durable callers give up after durableTimeoutMs. Their deadlines come in arrival order, so one
  // timer for the oldest unsettled caller replaces a timer per record (created and cleared on
  // every request); it is cleared whenever nobody waits, so it never keeps a process alive.
  const waiters: DurableWaiter[] = [];
  let watchdog: NodeJS.Timeout | undefined;
  function settle(waiter: DurableWaiter, then: () => void): void {
    if (waiter.settled) return;
    waiter.settled = true;
    then();
    while (waiters[0]?.settled) waiters.shift();
    if (waiters.length === 0 && watchdog) {
      clearTimeout(watchdog);
      watchdog = undefined;
    }
  }
  function expire(): void {
    watchdog = undefined;
    const now = performance.now();
    for (let first = waiters[0]; first && (first.settled || first.deadline <= now); first = waiters[0]) {
      waiters.shift();
      if (!first.settled) {
        first.settled = true;
        first.reject(new AuditUnavailableError('the audit store did not confirm in time'));
      }
    }
    const next = waiters[0];
    if (next) watchdog = setTimeout(expire, Math.max(1, Math.ceil(next.deadline - now)));
  }

  function schedule(delayMs: number): void {
    if (running || closed || immediate) return;
    if (delayMs <= 0) {
      // "Now" is the end of this event-loop turn, not a 1 ms timer: every record that arrived in
      // the same turn (all the I/O callbacks just handled) still goes in one group commit, and a
      // lone request at low load does not sleep through a timer before its record is written.
      if (timer) clearTimeout(timer);
      timer = undefined;
      immediate = setImmediate(() => void drain());
      return;
    }
    const due = Date.now() + delayMs;
    if (timer) {
      // Keep an earlier wake-up; replace a later one (a retry timer must not delay new records).
      if (timerDue <= due) return;
      clearTimeout(timer);
    }
    timerDue = due;
    timer = setTimeout(() => void drain(), delayMs);
  }

  async function commit(records: SpooledRecord[]): Promise<void> {
    await store.append((head) => sealRecords(secret, head, records));
    counters.committed += records.length;
    sinceCheckpoint += records.length;
    if (sinceCheckpoint >= checkpointEvery) {
      sinceCheckpoint = 0;
      await writeCheckpoint(store, secret).catch(report);
    }
  }

  async function replay(): Promise<void> {
    if (!spool) return;
    try {
      const records = await spool.readAll();
      // A crash between commit and clear would replay twice; ids already stored are skipped.
      const existing = await store.existingIds(records.map((record) => record.id));
      const pending = records.filter((record) => !existing.has(record.id));
      for (let start = 0; start < pending.length; start += batchSize) await commit(pending.slice(start, start + batchSize));
      await spool.clear();
      counters.replayed += pending.length;
      spoolPending = false;
      storeDown = false;
    } catch (error) {
      report(error);
      storeDown = true;
      nextReplayAt = Date.now() + retryDelayMs;
    }
  }

  async function toSpool(batch: Entry[]): Promise<boolean> {
    try {
      await spool!.append(batch.map((entry) => entry.record));
    } catch (error) {
      report(error);
      spoolBroken = true;
      return false;
    }
    spoolBroken = false;
    counters.spooled += batch.length;
    if (!spoolPending) nextReplayAt = Date.now() + retryDelayMs;
    spoolPending = true;
    for (const entry of batch) entry.done?.resolve();
    return true;
  }

  /** Writes one batch; false when it had to go back into the queue. */
  async function write(batch: Entry[]): Promise<boolean> {
    if (spoolPending && spool) return toSpool(batch);
    try {
      await commit(batch.map((entry) => entry.record));
      storeDown = false;
      for (const entry of batch) entry.done?.resolve();
      return true;
    } catch (error) {
      report(error);
      storeDown = true;
      if (options.onFailure === 'spool' && spool) return toSpool(batch);
      return false;
    }
  }

  async function drain(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    immediate = undefined;
    running = true;
    try {
      await spoolChecked;
      for (;;) {
        if (spoolPending && Date.now() >= nextReplayAt) await replay();
        if (queue.length === 0) break;
        const batch = queue.splice(0, batchSize);
        if (!(await write(batch))) {
          queue.unshift(...batch);
          break;
        }
      }
    } finally {
      running = false;
    }
    if (queue.length === 0 && !spoolPending) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    } else if (queue.length > 0 && !storeDown && !spoolBroken) {
      schedule(0);
    } else {
      schedule(retryDelayMs);
    }
  }

  function enqueue(record: AuditRecordInput, done?: Entry['done']): void {
    if (closed) throw new AuditUnavailableError('the audit writer is closed');
    if (queue.length >= maxQueue) {
      counters.dropped += 1;
      throw new AuditUnavailableError('the audit queue is full');
    }
    queue.push({ record: { ...record, id: randomUUID() }, ...(done ? { done } : {}) });
    // Someone waits for a durable record: commit now. Records arriving while that commit runs
    // queue up and go together in the next one, so batching still happens under load without a
    // lingering request paying the wait at low load.
    schedule(done !== undefined || queue.length >= batchSize ? 0 : lingerMs);
  }

  // Records spooled by an earlier process go into the chain before anything new.
  const spoolChecked: Promise<void> = spool
    ? spool
        .readAll()
        .then((records) => {
          if (records.length > 0) {
            spoolPending = true;
            nextReplayAt = 0;
            schedule(0);
          }
        })
        .catch(report)
    : Promise.resolve();

  const writer: AuditWriter = {
    append(record) {
      enqueue(record);
    },
    appendDurable(record) {
      return new Promise<void>((resolve, reject) => {
        const waiter: DurableWaiter = { deadline: performance.now() + durableTimeoutMs, settled: false, reject };
        enqueue(record, {
          resolve: () => settle(waiter, resolve),
          reject: (error) => settle(waiter, () => reject(error)),
        });
        waiters.push(waiter);
        watchdog ??= setTimeout(expire, durableTimeoutMs);
      });
    },
    healthy() {
      if (queue.length >= maxQueue) return false;
      return options.onFailure === 'spool' ? !spoolBroken : !storeDown;
    },
    stats() {
      return { queued: queue.length, ...counters, healthy: writer.healthy() };
    },
    async flush() {
      await spoolChecked;
      if (queue.length === 0 && !spoolPending && !running) return;
      await new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        schedule(0);
      });
    },
    async close(timeoutMs = 10_000) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([writer.flush(), new Promise<void>((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
      closed = true;
      if (timer) clearTimeout(timer);
      if (immediate) clearImmediate(immediate);
      // Records the store never took are lost unless spooled: count them, never hide them.
      counters.dropped += queue.length;
      for (const entry of queue.splice(0)) entry.done?.reject(new AuditUnavailableError('the audit writer closed'));
      if (sinceCheckpoint > 0 && !storeDown) await writeCheckpoint(store, secret).catch(report);
      await spool?.close();
    },
  };
  return writer;
}
