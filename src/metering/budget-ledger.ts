/**
 * The money side of budgets, in integer micro-dollars (1 USD = 1,000,000) so sums are exact.
 * The metering room owns this contract; src/storage implements it for SQLite and PostgreSQL.
 */

/** One budget a request counts against, in one calendar period. */
export interface BudgetLine {
  budgetId: string;
  /** e.g. `2026-11`, `2026-W45`, `2026-11-05` (see budget-period.ts). */
  periodKey: string;
  limitMicros: number;
}

export interface ReservationRequest {
  reservationId: string;
  lines: readonly BudgetLine[];
  /** The request's maximum possible cost. */
  amountMicros: number;
  /** ISO time; stale reservations (crashed processes) are released by age. */
  now: string;
}

export interface BudgetUsage {
  spentMicros: number;
  reservedMicros: number;
}

export type ReserveResult =
  | { ok: true }
  | ({ ok: false; budgetId: string; periodKey: string; limitMicros: number } & BudgetUsage);

export interface SettledLine extends BudgetUsage {
  budgetId: string;
  periodKey: string;
  /** Spend before this settlement, so callers can see which thresholds were just crossed. */
  spentBeforeMicros: number;
}

export interface BudgetLedger {
  /**
   * All or nothing: reserves `amountMicros` on every line, or on none when any line would
   * exceed its limit (spent + reserved + amount > limit). Atomic against concurrent callers
   * in this process and, on PostgreSQL, in other processes.
   */
  reserve(request: ReservationRequest): Promise<ReserveResult>;
  /** Turns the reservation into `actualMicros` of spend and releases the rest. Idempotent. */
  settle(reservationId: string, actualMicros: number): Promise<SettledLine[]>;
  /** Gives the whole reservation back (the request failed before costing anything). */
  release(reservationId: string): Promise<void>;
  usage(budgetId: string, periodKey: string): Promise<BudgetUsage>;
  /** Releases reservations made before `olderThan` (left by a crashed process); returns how many. */
  releaseStale(olderThan: string): Promise<number>;
}

export const MICROS_PER_USD = 1_000_000;

/** Rounds up, so a reservation never falls short of the cost it stands for. */
export function usdToMicros(usd: number): number {
  return Math.ceil(usd * MICROS_PER_USD - 1e-9);
}

export function microsToUsd(micros: number): number {
  return micros / MICROS_PER_USD;
}
