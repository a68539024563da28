import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../model/principal.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import type { Storage } from '../storage/open-storage.js';
import { sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { BudgetExceededError } from './budget-exceeded-error.js';
import { beginMetering, finishMetering } from './meter-request.js';
import { meteringConfigSchema } from './metering-config-schema.js';
import { createMeteringRuntime, type MeteringRuntime } from './metering-runtime.js';
import { buildSpendReport } from './spend-report.js';

describe('metering a request end to end', () => {
  let target: StorageTarget;
  let storage: Storage;
  let runtime: MeteringRuntime;
  const principal: Principal = { id: 'key-1', kind: 'key', department: 'finance', team: 'fp', roles: [], tags: { application: 'erp' } };

  beforeAll(async () => {
    target = sqliteTarget();
    storage = await openMigratedStorage(target.url);
    runtime = createMeteringRuntime({
      storage,
      // Reservations and settlement must fall in the period the assertions name, whatever today is.
      now: () => new Date('2026-11-10T00:00:00Z'),
      config: meteringConfigSchema.parse({
        prices: [
          { deployment: 'cheap', input_per_million: 1, output_per_million: 1 },
          { deployment: 'dear', input_per_million: 10, output_per_million: 100 },
        ],
        budgets: [{ id: 'fp', scope: { team: 'fp' }, period: 'month', limit_usd: 0.25 }],
      }),
    });
  });
  afterAll(async () => {
    await runtime.close();
    await storage.close();
    await target.dispose();
  });

  it('reserves the worst case across failover targets, settles the actual cost and reports it', async () => {
    const targets = [{ deployment: 'cheap', model: 'm' }, { deployment: 'dear', model: 'm' }];
    const headers = { 'x-switchyard-tags': 'feature=close' };
    const metered = await beginMetering(runtime, { principal, headers, inputTokens: 1_000, maxOutputTokens: 1_000, targets });
    expect(metered.maxCostUsd).toBeCloseTo(0.11, 10);
    expect(metered.tags).toEqual({ application: 'erp', feature: 'close', department: 'finance', team: 'fp' });
    // The worst case of two in flight exceeds the budget: the third is refused before dispatch.
    const second = await beginMetering(runtime, { principal, headers: {}, inputTokens: 1_000, maxOutputTokens: 1_000, targets });
    await expect(beginMetering(runtime, { principal, headers: {}, inputTokens: 1_000, maxOutputTokens: 1_000, targets })).rejects.toBeInstanceOf(BudgetExceededError);
    await second.reservation.release();

    const { costUsd } = await finishMetering(runtime, metered, {
      requestId: 'r1', principal, deployment: 'cheap', model: 'm', alias: 'chat', tier: 'api',
      usage: { inputTokens: 1_000, outputTokens: 500 }, time: new Date('2026-11-10T00:00:00Z'),
    });
    expect(costUsd).toBeCloseTo(0.0015, 10);
    expect(await runtime.ledger.usage('fp', '2026-11')).toEqual({ spentMicros: 1_500, reservedMicros: 0 });
    const report = await buildSpendReport(runtime.spend, { by: 'tag', period: '2026-11', timeZone: 'Asia/Taipei' });
    expect(report.rows.map((row) => row.group)).toEqual(['application=erp', 'department=finance', 'feature=close', 'team=fp']);
    const byDeployment = await buildSpendReport(runtime.spend, {
      by: 'deployment', period: '2026-11', timeZone: 'Asia/Taipei', fixedCosts: [{ deployment: 'onprem', monthly_usd: 730 }],
    });
    // November has 720 hours: 720 of 730 hours' worth of a $730/month box.
    expect(byDeployment.rows.map((row) => [row.group, row.fixedUsd])).toEqual([['cheap', undefined], ['onprem', 720]]);
    expect(byDeployment.totalFixedUsd).toBe(720);
    await expect(buildSpendReport(runtime.spend, { by: 'colour', period: '2026-11', timeZone: 'UTC' })).rejects.toMatchObject({ code: 'invalid_request', param: 'by' });
  });
});
