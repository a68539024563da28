import type { StreamPart } from '../../model/stream-part.js';

/**
 * Timing and stream faults, shared by the in-process adapter and the HTTP server so both fail
 * the same way. Streams are produced as batches: every part that can go out without waiting is
 * in one batch, so a zero-delay stream is a single write on the socket (the benchmark relies on
 * the mock being cheap) while a paced one is written chunk by chunk.
 */

/** Thrown by the stream when the `stream_cut` fault fires; the server destroys the socket. */
export class MockStreamCutError extends Error {
  constructor(readonly afterChunks: number) {
    super(`mock stream cut after ${afterChunks} chunk(s)`);
    this.name = 'MockStreamCutError';
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Resolves after `ms` (immediately when ≤ 0); rejects with the abort reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Never resolves; rejects with the abort reason once `signal` aborts (the `hang` fault). */
export function waitForAbort(signal?: AbortSignal): Promise<never> {
  return new Promise<never>((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(abortReason(signal));
    else signal.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
  });
}

export interface StreamPlan {
  /** Wait between content chunks (0: none). The TTFT wait happens before the stream starts. */
  intervalMs: number;
  /** Throw MockStreamCutError after this many content chunks (0: before the first part). */
  cutAfterChunks?: number;
  /** Go silent after this many content chunks until aborted. */
  stallAfterChunks?: number;
}

const isContent = (part: StreamPart): boolean => part.type === 'text-delta' || part.type === 'tool-call-delta';

/**
 * Yields the parts in batches, pacing content chunks on an absolute schedule (chunk k is due at
 * start + k × interval, so timer lateness does not accumulate). A cut or stall configured past
 * the last content chunk still fires before the finish part: the fault is always observable.
 */
export async function* pacedBatches(parts: StreamPart[], plan: StreamPlan, signal?: AbortSignal): AsyncGenerator<StreamPart[]> {
  const { cutAfterChunks: cut, stallAfterChunks: stall, intervalMs } = plan;
  if (cut === 0) throw new MockStreamCutError(0);
  if (stall === 0) await waitForAbort(signal);
  const start = performance.now();
  let batch: StreamPart[] = [];
  let delivered = 0;
  for (const part of parts) {
    const content = isContent(part);
    const finish = part.type === 'finish';
    if (content || finish) {
      if (cut !== undefined && (finish || delivered >= cut)) {
        if (batch.length > 0) yield batch;
        throw new MockStreamCutError(delivered);
      }
      if (stall !== undefined && (finish || delivered >= stall)) {
        if (batch.length > 0) yield batch;
        batch = [];
        await waitForAbort(signal);
      }
    }
    if (content && intervalMs > 0 && delivered > 0) {
      const wait = start + delivered * intervalMs - performance.now();
      if (wait > 0) {
        if (batch.length > 0) yield batch;
        batch = [];
        await sleep(wait, signal);
      }
    }
    if (content) delivered += 1;
    batch.push(part);
  }
  if (batch.length > 0) yield batch;
}
