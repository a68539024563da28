import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import type { Storage } from '../storage/open-storage.js';
import { runTsChild } from '../../test/support/run-ts-child.js';
import { runMigrations } from '../storage/run-migrations.js';
import { createSqlBudgetLedger } from './sql-budget-ledger.js';
import { postgresAvailability, postgresTarget, sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { periodKey } from './budget-period.js';
import { usdToMicros } from './budget-ledger.js';
import { RACE_BUDGET, RACE_NOW, runBudgetRace, type RaceResult } from '../../test/support/metering/budget-race.js';

const LIMIT_MICROS = usdToMicros(RACE_BUDGET[0]!.limit_usd);

/** Polls the ledger while the race runs: spent + reserved must never pass the limit. */
function sampleOutstanding(storage: Storage): { stop(): Promise<number> } {
  const ledger = createSqlBudgetLedger(storage.executor);
  const key = periodKey('month', RACE_NOW, 'Asia/Taipei');
  let running = true;
  let worst = 0;
  const loop = (async () => {
    while (running) {
      const usage = await ledger.usage('race', key);
      worst = Math.max(worst, usage.spentMicros + usage.reservedMicros);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return worst;
    },
  };
}

async function expectWithinBudget(storage: Storage, results: RaceResult[], worst: number): Promise<void> {
  const usage = await createSqlBudgetLedger(storage.executor).usage('race', periodKey('month', RACE_NOW, 'Asia/Taipei'));
  const settled = results.reduce((sum, result) => sum + result.settledMicros, 0);
  expect(results.reduce((sum, result) => sum + result.ok + result.refused, 0)).toBe(200);
  expect(usage).toEqual({ spentMicros: settled, reservedMicros: 0 });
  expect(settled).toBeLessThanOrEqual(LIMIT_MICROS);
  expect(worst).toBeLessThanOrEqual(LIMIT_MICROS);
  // Room for 10 at the maximum; settling below it lets a few more through, never fewer.
  expect(results.reduce((sum, result) => sum + result.ok, 0)).toBeGreaterThanOrEqual(10);
  expect(results.reduce((sum, result) => sum + result.thresholdEvents, 0)).toBe(1);
}

const postgres = await postgresAvailability();

describe('budget race', () => {
  describe('SQLite, in one process', () => {
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

    it('200 concurrent requests against a budget for 10 never overspend', async () => {
      const sampler = sampleOutstanding(storage);
      const result = await runBudgetRace(createSqlBudgetLedger(storage.executor), 200);
      await expectWithinBudget(storage, [result], await sampler.stop());
    });
  });

  describe.skipIf(!postgres.run)('PostgreSQL, across two processes', () => {
    let target: StorageTarget;
    let storage: Storage;
    beforeAll(async () => {
      target = await postgresTarget();
      storage = await target.open();
      await runMigrations(storage.executor, ALL_MIGRATIONS);
    });
    afterAll(async () => {
      await storage?.close();
      await target?.dispose();
    });

    it('200 concurrent requests from two gateways against a budget for 10 never overspend', async () => {
      const sampler = sampleOutstanding(storage);
      const child = new URL('../../test/support/metering/budget-race-child.ts', import.meta.url);
      const runs = await Promise.all([0, 1].map(() => runTsChild(child, [target.url, target.schema!, '100'])));
      const worst = await sampler.stop();
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      await expectWithinBudget(storage, runs.map((run) => JSON.parse(run.stdout) as RaceResult), worst);
    });
  });
});
