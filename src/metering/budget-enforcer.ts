import { randomUUID } from 'node:crypto';
import { BudgetExceededError } from './budget-exceeded-error.js';
import { microsToUsd, usdToMicros, type BudgetLedger, type BudgetLine } from './budget-ledger.js';
import { periodKey, periodRange } from './budget-period.js';
import type { BudgetConfig } from './metering-config-schema.js';

/** Who a request is billed to, as budgets match it. */
export interface BudgetSubject {
  keyId?: string;
  team?: string;
  department?: string;
  tags: Record<string, string>;
}

/** Emitted when settled spend crosses a soft threshold; subscribers log it and count a metric. */
export interface BudgetThresholdEvent {
  type: 'budget-threshold';
  budgetId: string;
  periodKey: string;
  threshold: number;
  spentUsd: number;
  limitUsd: number;
}

export interface BudgetReservation {
  readonly id: string;
  /** Budget ids this request counts against (empty when none applies). */
  readonly budgetIds: readonly string[];
  /** Books the actual cost and releases the rest of the reservation. */
  settle(actualUsd: number): Promise<void>;
  /** Gives the reservation back (the request failed before costing anything). */
  release(): Promise<void>;
}

export interface BudgetEnforcerOptions {
  ledger: BudgetLedger;
  budgets: readonly BudgetConfig[];
  timeZone: string;
  onEvent?: (event: BudgetThresholdEvent) => void;
  now?: () => Date;
}

export function describeScope(budget: BudgetConfig): string {
  const [kind, value] = Object.entries(budget.scope).find(([, entry]) => entry !== undefined) ?? ['scope', '?'];
  return `${kind} ${value}`;
}

export function budgetApplies(budget: BudgetConfig, subject: BudgetSubject): boolean {
  const { scope } = budget;
  if (scope.key !== undefined) return subject.keyId === scope.key;
  if (scope.team !== undefined) return subject.team === scope.team;
  if (scope.department !== undefined) return subject.department === scope.department;
  if (scope.tag !== undefined) {
    const separator = scope.tag.indexOf('=');
    return subject.tags[scope.tag.slice(0, separator)] === scope.tag.slice(separator + 1);
  }
  return false;
}

/**
 * Budgets as reservations: before dispatch `reserve` books the request's maximum possible
 * cost on every budget that applies (or refuses with 429 naming the first budget without
 * room); afterwards the handle settles to the actual cost. Checking after the fact instead
 * would let N concurrent requests each see room and all overspend.
 */
/** What a request no budget applies to holds: nothing to book, settle or release (no id, clock read or closures per request). */
const NO_BUDGET: BudgetReservation = Object.freeze({
  id: 'no-budget',
  budgetIds: Object.freeze([]),
  settle: async () => undefined,
  release: async () => undefined,
});

export function createBudgetEnforcer(options: BudgetEnforcerOptions) {
  const now = options.now ?? (() => new Date());
  const byId = new Map(options.budgets.map((budget) => [budget.id, budget]));

  async function reserve(subject: BudgetSubject, maxCostUsd: number): Promise<BudgetReservation> {
    const applicable = options.budgets.filter((budget) => budgetApplies(budget, subject));
    if (applicable.length === 0) return NO_BUDGET;
    const at = now();
    const id = randomUUID();
    const lines: BudgetLine[] = applicable.map((budget) => ({
      budgetId: budget.id,
      periodKey: periodKey(budget.period, at, options.timeZone),
      limitMicros: usdToMicros(budget.limit_usd),
    }));
    const amountMicros = usdToMicros(maxCostUsd);
    if (lines.length > 0) {
      const result = await options.ledger.reserve({ reservationId: id, lines, amountMicros, now: at.toISOString() });
      if (!result.ok) {
        const budget = byId.get(result.budgetId)!;
        const periodEnd = periodRange(result.periodKey, options.timeZone).to;
        throw new BudgetExceededError({
          budgetId: budget.id,
          scope: describeScope(budget),
          periodKey: result.periodKey,
          limitUsd: budget.limit_usd,
          usedUsd: microsToUsd(result.spentMicros + result.reservedMicros),
          requestMaxUsd: maxCostUsd,
          // Room may come back sooner (reservations settle below their maximum); this is the latest.
          retryAfterSeconds: Math.max(1, Math.ceil((periodEnd.getTime() - at.getTime()) / 1000)),
        });
      }
    }
    let finished = false;
    return {
      id,
      budgetIds: lines.map((line) => line.budgetId),
      async settle(actualUsd) {
        if (finished || lines.length === 0) return;
        finished = true;
        const settled = await options.ledger.settle(id, usdToMicros(actualUsd));
        for (const line of settled) {
          const budget = byId.get(line.budgetId);
          if (!budget) continue;
          const limitMicros = usdToMicros(budget.limit_usd);
          for (const threshold of budget.soft_thresholds) {
            const mark = threshold * limitMicros;
            if (line.spentBeforeMicros < mark && line.spentMicros >= mark) {
              options.onEvent?.({
                type: 'budget-threshold',
                budgetId: budget.id,
                periodKey: line.periodKey,
                threshold,
                spentUsd: microsToUsd(line.spentMicros),
                limitUsd: budget.limit_usd,
              });
            }
          }
        }
      },
      async release() {
        if (finished || lines.length === 0) return;
        finished = true;
        await options.ledger.release(id);
      },
    };
  }

  return { reserve };
}

export type BudgetEnforcer = ReturnType<typeof createBudgetEnforcer>;
