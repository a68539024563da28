/**
 * Deadlines that all share one length (a pool's total_ms), on ONE timer. A timer, an
 * `AbortSignal.timeout` and an `AbortSignal.any` per upstream call were a measurable share of the
 * pure proxy's CPU (and garbage) per request. Since every entry waits the same time, they expire in
 * the order they were added: a doubly linked list whose head is always the next to expire, O(1) to
 * add and to remove, and a single timer armed for the head. The timer is precise (it is set for the
 * head's own due time, not a coarse tick); when it fires for an entry already removed, it re-arms
 * for the new head, so a pool at rest holds no timer at all past the last due time.
 */
export interface Deadline {
  /** True once the deadline passed (and `onExpire` ran). */
  readonly expired: boolean;
  /** Drops the deadline (the call ended); `onExpire` will not run. Safe to call twice. */
  clear(): void;
}

export interface DeadlineQueue {
  /** Runs `onExpire` once, `ms` after now, unless cleared first. */
  add(onExpire: () => void): Deadline;
  /** Drops every pending deadline and the timer. */
  close(): void;
}

class Entry implements Deadline {
  expired = false;
  prev: Entry | undefined = undefined;
  next: Entry | undefined = undefined;
  linked = true;
  constructor(
    readonly due: number,
    readonly onExpire: () => void,
    private readonly queue: { unlink(entry: Entry): void },
  ) {}

  clear(): void {
    if (this.linked) this.queue.unlink(this);
  }
}

/** How the queue arms its one timer; the default is an unref'd `setTimeout` (a manual clock in tests). */
export type SetDeadlineTimer = (ms: number, callback: () => void) => { cancel(): void };

const unrefTimer: SetDeadlineTimer = (ms, callback) => {
  const timer = setTimeout(callback, ms);
  // A pending deadline must not keep the process alive (the call itself does, while it runs).
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
};

export function createDeadlineQueue(ms: number, now: () => number = () => performance.now(), setTimer: SetDeadlineTimer = unrefTimer): DeadlineQueue {
  let head: Entry | undefined;
  let tail: Entry | undefined;
  let timer: { cancel(): void } | undefined;

  const list = {
    unlink(entry: Entry): void {
      entry.linked = false;
      if (entry.prev) entry.prev.next = entry.next;
      else head = entry.next;
      if (entry.next) entry.next.prev = entry.prev;
      else tail = entry.prev;
      entry.prev = entry.next = undefined;
    },
  };

  const arm = (due: number): void => {
    // Timers run on whole milliseconds and may wake a fraction early: round up, re-check on firing.
    timer = setTimer(Math.max(1, Math.ceil(due - now())), fire);
  };

  function fire(): void {
    timer = undefined;
    const current = now();
    try {
      while (head !== undefined && head.due <= current) {
        const entry = head;
        list.unlink(entry);
        entry.expired = true;
        entry.onExpire();
      }
    } finally {
      if (head !== undefined && timer === undefined) arm(head.due);
    }
  }

  return {
    add(onExpire) {
      const entry = new Entry(now() + ms, onExpire, list);
      if (tail === undefined) head = tail = entry;
      else {
        entry.prev = tail;
        tail.next = entry;
        tail = entry;
      }
      // Armed for an earlier (possibly cleared) head, the timer re-arms itself when it fires.
      if (timer === undefined) arm(entry.due);
      return entry;
    },
    close() {
      timer?.cancel();
      timer = undefined;
      while (head !== undefined) list.unlink(head);
    },
  };
}
