import type { BudgetThresholdEvent } from './budget-enforcer.js';
import type { UsageAnomaly } from './validate-usage.js';

/** The upstream billed more than the reservation held: settled at the actual cost, and alerted. */
export interface OverReservationEvent {
  type: 'over-reservation';
  requestId: string;
  deployment: string;
  budgetIds: readonly string[];
  reservedUsd: number;
  actualUsd: number;
}

/** An upstream usage count was impossible and was clamped (see validate-usage.ts). */
export interface UsageClampedEvent {
  type: 'usage-clamped';
  requestId: string;
  deployment: string;
  anomaly: UsageAnomaly;
}

/** A request was served by a deployment with no price in config or the catalogue. */
export interface UnpricedEvent {
  type: 'unpriced';
  deployment: string;
  model: string;
}

/** Everything metering tells subscribers (logs and metrics); never request content. */
export type MeteringEvent = BudgetThresholdEvent | OverReservationEvent | UsageClampedEvent | UnpricedEvent;
