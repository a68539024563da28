import type { BudgetLedger, BudgetUsage, ReserveResult, SettledLine } from './budget-ledger.js';
import { toNumber, type SqlExecutor } from '../storage/sql-executor.js';

/** Thrown inside the transaction to roll back the lines already reserved. */
class InsufficientBudget extends Error {
  constructor(readonly result: Extract<ReserveResult, { ok: false }>) {
    super('insufficient budget');
  }
}

async function usageOf(executor: SqlExecutor, budgetId: string, periodKey: string): Promise<BudgetUsage> {
  const [row] = await executor.all('SELECT spent_micros, reserved_micros FROM budget_usage WHERE budget_id = ? AND period_key = ?', [
    budgetId,
    periodKey,
  ]);
  return { spentMicros: toNumber(row?.spent_micros), reservedMicros: toNumber(row?.reserved_micros) };
}

/**
 * Reservations as one conditional UPDATE per budget line: the row lock plus the re-checked
 * WHERE make "room left?" and "take it" a single step, in-process on SQLite (BEGIN IMMEDIATE)
 * and across processes on PostgreSQL. Lines are locked in a fixed order to avoid deadlocks.
 */
export function createSqlBudgetLedger(executor: SqlExecutor): BudgetLedger {
  async function settleOrRelease(reservationId: string, actualMicros: number | undefined): Promise<SettledLine[]> {
    return executor.transaction(async (transaction) => {
      const reservations = await transaction.all(
        'SELECT budget_id, period_key, amount_micros FROM budget_reservations WHERE reservation_id = ? ORDER BY budget_id, period_key',
        [reservationId],
      );
      const settled: SettledLine[] = [];
      for (const reservation of reservations) {
        const budgetId = String(reservation.budget_id);
        const periodKey = String(reservation.period_key);
        const spent = actualMicros ?? 0;
        const [row] = await transaction.all(
          `UPDATE budget_usage SET reserved_micros = reserved_micros - ?, spent_micros = spent_micros + ?
           WHERE budget_id = ? AND period_key = ? RETURNING spent_micros, reserved_micros`,
          [toNumber(reservation.amount_micros), spent, budgetId, periodKey],
        );
        const spentMicros = toNumber(row?.spent_micros);
        settled.push({ budgetId, periodKey, spentMicros, reservedMicros: toNumber(row?.reserved_micros), spentBeforeMicros: spentMicros - spent });
      }
      // Deleting the reservation is what makes a second settle a no-op.
      await transaction.run('DELETE FROM budget_reservations WHERE reservation_id = ?', [reservationId]);
      return settled;
    });
  }

  return {
    async reserve(request) {
      const lines = [...request.lines].sort((a, b) =>
        a.budgetId === b.budgetId ? (a.periodKey < b.periodKey ? -1 : 1) : a.budgetId < b.budgetId ? -1 : 1,
      );
      try {
        return await executor.transaction(async (transaction): Promise<ReserveResult> => {
          for (const line of lines) {
            await transaction.run('INSERT INTO budget_usage (budget_id, period_key) VALUES (?, ?) ON CONFLICT DO NOTHING', [
              line.budgetId,
              line.periodKey,
            ]);
            const { changes } = await transaction.run(
              `UPDATE budget_usage SET reserved_micros = reserved_micros + ?
               WHERE budget_id = ? AND period_key = ? AND spent_micros + reserved_micros + ? <= ?`,
              [request.amountMicros, line.budgetId, line.periodKey, request.amountMicros, line.limitMicros],
            );
            if (changes === 0) {
              const usage = await usageOf(transaction, line.budgetId, line.periodKey);
              throw new InsufficientBudget({ ok: false, budgetId: line.budgetId, periodKey: line.periodKey, limitMicros: line.limitMicros, ...usage });
            }
            await transaction.run(
              'INSERT INTO budget_reservations (reservation_id, budget_id, period_key, amount_micros, created_at) VALUES (?, ?, ?, ?, ?)',
              [request.reservationId, line.budgetId, line.periodKey, request.amountMicros, request.now],
            );
          }
          return { ok: true };
        });
      } catch (error) {
        if (error instanceof InsufficientBudget) return error.result;
        throw error;
      }
    },

    settle: (reservationId, actualMicros) => settleOrRelease(reservationId, Math.max(0, Math.round(actualMicros))),

    async release(reservationId) {
      await settleOrRelease(reservationId, undefined);
    },

    usage: (budgetId, periodKey) => usageOf(executor, budgetId, periodKey),

    async releaseStale(olderThan) {
      const rows = await executor.all<{ reservation_id: string }>(
        'SELECT DISTINCT reservation_id FROM budget_reservations WHERE created_at < ?',
        [olderThan],
      );
      for (const row of rows) await settleOrRelease(row.reservation_id, undefined);
      return rows.length;
    },
  };
}
