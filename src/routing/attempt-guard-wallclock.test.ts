import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { standardAttemptGuard, type AttemptContext } from './call-interceptors.js';
import { createCircuitBreakerRegistry } from './circuit-breaker.js';
import { systemClock } from './clock.js';
import { createRetryBudget } from './retry-budget.js';
import type { RoutableTarget } from './select-target.js';
import { createTargetStats } from './target-stats.js';

// The per-call timer the fused guard replaced was a plain setTimeout: it never read the wall clock.
// The shared deadline queue compares due times on clock.now(), which for the system clock is
// Date.now(): a wall-clock step (NTP, VM resume) must not move an attempt's timeout.
describe('standardAttemptGuard on the system clock: timeouts do not follow wall-clock steps', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  let guard: ReturnType<typeof standardAttemptGuard>;
  beforeEach(() => {
    guard = standardAttemptGuard({
      breakers: createCircuitBreakerRegistry({ clock: systemClock }),
      budget: createRetryBudget({ clock: systemClock }),
      stats: createTargetStats(),
      clock: systemClock,
      timeoutMs: () => 100,
    });
  });
  const setup = () => {
    const attempt: AttemptContext = {
      alias: 'a',
      target: { deployment: 'd1' } as RoutableTarget,
      attemptNumber: 1,
      signal: new AbortController().signal,
      requestSignal: undefined,
    };
    let outcome: unknown = 'pending';
    guard(attempt, () => new Promise<never>(() => {})).then(
      () => (outcome = 'resolved'),
      (error: unknown) => (outcome = (error as { code?: string }).code ?? error),
    );
    return () => outcome;
  };

  it('a wall clock stepped back an hour does not stop a hung attempt from timing out after its limit', async () => {
    const outcome = setup();
    vi.setSystemTime(Date.now() - 3_600_000);
    await vi.advanceTimersByTimeAsync(150);
    expect(outcome()).toBe('upstream_timeout');
  });

  it('a wall clock stepped forward does not time an attempt out before its limit', async () => {
    const first = setup(); // due at 100 ms; the shared timer is armed for it
    await vi.advanceTimersByTimeAsync(50);
    const second = setup(); // due at 150 ms, behind the first in the queue
    await vi.advanceTimersByTimeAsync(10);
    vi.setSystemTime(Date.now() + 3_600_000);
    await vi.advanceTimersByTimeAsync(45); // 105 ms: the first is due, the second has run 55 of its 100 ms
    expect(first()).toBe('upstream_timeout');
    expect(second()).toBe('pending');
  });
});
