/**
 * Time as a dependency. Every routing module (backoff sleeps, breaker cooldowns, retry-budget
 * windows, health-check intervals, rate-limit refills) reads time through a `Clock`, so tests
 * drive hours of behaviour with `createManualClock().advance(ms)` instead of sleeping.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin; only differences matter). */
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `callback` once after `ms`. Timers never keep the process alive. */
  setTimer(ms: number, callback: () => void): TimerHandle;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  setTimer(ms, callback) {
    const timer = setTimeout(callback, Math.max(0, ms));
    // A pending health check or cooldown must not stop the gateway from exiting.
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};

/** A clock that only moves when told to; timers and sleeps fire in due order during `advance`. */
export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order, letting promise callbacks run in between. */
  advance(ms: number): Promise<void>;
  /** Timers (including sleeps) not yet fired. */
  pendingTimers(): number;
}

interface ManualTimer {
  due: number;
  sequence: number;
  callback: () => void;
}

export function createManualClock(start = 1_700_000_000_000): ManualClock {
  let current = start;
  let sequence = 0;
  const timers = new Set<ManualTimer>();

  const setTimer = (ms: number, callback: () => void): TimerHandle => {
    const timer: ManualTimer = { due: current + Math.max(0, ms), sequence: sequence++, callback };
    timers.add(timer);
    return { cancel: () => timers.delete(timer) };
  };

  const nextDue = (limit: number): ManualTimer | undefined => {
    let next: ManualTimer | undefined;
    for (const timer of timers) {
      if (timer.due > limit) continue;
      if (!next || timer.due < next.due || (timer.due === next.due && timer.sequence < next.sequence)) next = timer;
    }
    return next;
  };

  return {
    now: () => current,
    setTimer,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = () => {
          handle.cancel();
          reject(signal?.reason);
        };
        const handle = setTimer(ms, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async advance(ms) {
      const target = current + ms;
      await flushMicrotasks();
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        timers.delete(timer);
        current = Math.max(current, timer.due);
        timer.callback();
        // Let the code awakened by this timer run (and maybe schedule more) before the next one.
        await flushMicrotasks();
      }
      current = target;
      await flushMicrotasks();
    },
    pendingTimers: () => timers.size,
  };
}

/** Several macrotask turns, so chains of awaits settle between timer firings. */
async function flushMicrotasks(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
