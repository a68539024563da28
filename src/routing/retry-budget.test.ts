import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { createRetryBudget } from './retry-budget.js';
import { retryBudgetSchema } from './routing-config-schema.js';

const config = retryBudgetSchema.parse({ ratio: 0.1, min_retries: 2, window_ms: 10_000 });

describe('createRetryBudget', () => {
  it('allows min_retries plus ratio × calls, then refuses', () => {
    const budget = createRetryBudget({ configFor: () => config, clock: createManualClock(0) });
    for (let call = 0; call < 30; call++) budget.recordCall('d1');
    // 2 + 0.1 × 30 = 5 retries.
    const granted = Array.from({ length: 8 }, () => budget.tryRetry('d1'));
    expect(granted).toEqual([true, true, true, true, true, false, false, false]);
    expect(budget.snapshot('d1')).toEqual({ calls: 30, retries: 5, allowance: 5 });
  });

  it('keeps each deployment on its own budget', () => {
    const budget = createRetryBudget({ configFor: () => config, clock: createManualClock(0) });
    budget.tryRetry('d1');
    budget.tryRetry('d1');
    expect(budget.tryRetry('d1')).toBe(false);
    expect(budget.tryRetry('d2')).toBe(true);
  });

  it('forgets calls and retries once they slide out of the window', async () => {
    const clock = createManualClock(0);
    const budget = createRetryBudget({ configFor: () => config, clock });
    budget.tryRetry('d1');
    budget.tryRetry('d1');
    expect(budget.tryRetry('d1')).toBe(false);
    await clock.advance(5_000);
    expect(budget.tryRetry('d1')).toBe(false);
    await clock.advance(5_001);
    expect(budget.tryRetry('d1')).toBe(true);
  });

  it('never refuses when disabled', () => {
    const budget = createRetryBudget({ configFor: () => ({ ...config, enabled: false, min_retries: 0 }), clock: createManualClock(0) });
    expect(Array.from({ length: 20 }, () => budget.tryRetry('d1')).every(Boolean)).toBe(true);
  });
});
