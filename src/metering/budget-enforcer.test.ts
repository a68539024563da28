import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import type { Storage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';
import { createSqlBudgetLedger } from './sql-budget-ledger.js';
import { sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { createBudgetEnforcer, type BudgetThresholdEvent } from './budget-enforcer.js';
import { BudgetExceededError } from './budget-exceeded-error.js';
import { meteringConfigSchema } from './metering-config-schema.js';

describe('budget enforcer', () => {
  let target: StorageTarget;
  let storage: Storage;
  beforeAll(async () => {
    target = sqliteTarget();
    storage = await target.open();
    await runMigrations(storage.executor, ALL_MIGRATIONS);
  });
  afterAll(async () => {
    await storage.close();
    await target.dispose();
  });

  const { budgets } = meteringConfigSchema.parse({
    budgets: [
      { id: 'finance-month', scope: { department: 'finance' }, period: 'month', limit_usd: 1, soft_thresholds: [0.5, 0.9] },
      { id: 'bot-day', scope: { tag: 'application=bot' }, period: 'day', limit_usd: 10 },
    ],
  });

  it('refuses with 429 naming the budget, emits soft thresholds once, and ignores other subjects', async () => {
    const events: BudgetThresholdEvent[] = [];
    const now = new Date('2026-11-30T15:00:00Z');
    const enforcer = createBudgetEnforcer({ ledger: createSqlBudgetLedger(storage.executor), budgets, timeZone: 'Asia/Taipei', onEvent: (event) => events.push(event), now: () => now });
    const finance = { department: 'finance', tags: { application: 'bot' } };

    const first = await enforcer.reserve(finance, 0.7);
    expect(first.budgetIds).toEqual(['finance-month', 'bot-day']);
    const refused = await enforcer.reserve(finance, 0.4).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BudgetExceededError);
    expect(refused).toMatchObject({ status: 429, code: 'budget_exceeded', budgetId: 'finance-month', periodKey: '2026-11' });
    expect((refused as Error).message).toContain("Budget 'finance-month' (department finance, period 2026-11)");
    // One hour before the Taipei month ends.
    expect((refused as BudgetExceededError).retryAfterSeconds).toBe(3600);

    await first.settle(0.6);
    await first.settle(0.6);
    expect(events).toEqual([{ type: 'budget-threshold', budgetId: 'finance-month', periodKey: '2026-11', threshold: 0.5, spentUsd: 0.6, limitUsd: 1 }]);
    const second = await enforcer.reserve(finance, 0.4);
    await second.release();
    const other = await enforcer.reserve({ department: 'legal', tags: {} }, 100);
    expect(other.budgetIds).toEqual([]);
  });
});
