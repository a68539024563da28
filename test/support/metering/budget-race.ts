import type { BudgetLedger } from '../../../src/metering/budget-ledger.js';
import { createBudgetEnforcer } from '../../../src/metering/budget-enforcer.js';
import { BudgetExceededError } from '../../../src/metering/budget-exceeded-error.js';
import { meteringConfigSchema } from '../../../src/metering/metering-config-schema.js';

/**
 * Test helper shared by the in-process and the two-process budget race: `count` concurrent
 * requests, each reserving its maximum ($0.01) against a budget of $0.10 (room for 10), then
 * settling to a random actual cost at or below the maximum.
 */
export const RACE_BUDGET = meteringConfigSchema.parse({
  budgets: [{ id: 'race', scope: { team: 'racers' }, period: 'month', limit_usd: 0.1, soft_thresholds: [0.5] }],
}).budgets;
export const RACE_MAX_COST_USD = 0.01;
/**
 * The race's clock: fixed, so every reservation lands in one budget period whatever today's date
 * is (a race straddling a month end would otherwise split across two periods).
 */
export const RACE_NOW = new Date('2026-11-15T04:00:00Z');

export interface RaceResult {
  ok: number;
  refused: number;
  settledMicros: number;
  thresholdEvents: number;
}

export async function runBudgetRace(ledger: BudgetLedger, count: number, now: () => Date = () => RACE_NOW): Promise<RaceResult> {
  const result: RaceResult = { ok: 0, refused: 0, settledMicros: 0, thresholdEvents: 0 };
  const enforcer = createBudgetEnforcer({
    ledger,
    budgets: RACE_BUDGET,
    timeZone: 'Asia/Taipei',
    now,
    onEvent: () => (result.thresholdEvents += 1),
  });
  await Promise.all(
    Array.from({ length: count }, async () => {
      let reservation;
      try {
        reservation = await enforcer.reserve({ team: 'racers', tags: {} }, RACE_MAX_COST_USD);
      } catch (error) {
        if (!(error instanceof BudgetExceededError)) throw error;
        result.refused += 1;
        return;
      }
      result.ok += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      const actualMicros = 5_000 + Math.floor(Math.random() * 5_001);
      await reservation.settle(actualMicros / 1_000_000);
      result.settledMicros += actualMicros;
    }),
  );
  return result;
}
