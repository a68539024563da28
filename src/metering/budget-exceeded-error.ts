import { GatewayError } from '../errors/gateway-error.js';

/** A hard budget has no room for the request's maximum cost (429, names the budget). */
export class BudgetExceededError extends GatewayError {
  readonly budgetId: string;
  readonly periodKey: string;

  constructor(details: { budgetId: string; scope: string; periodKey: string; limitUsd: number; usedUsd: number; requestMaxUsd: number; retryAfterSeconds: number }) {
    super(
      'budget_exceeded',
      `Budget '${details.budgetId}' (${details.scope}, period ${details.periodKey}) is exhausted: $${details.usedUsd.toFixed(4)} of $${details.limitUsd.toFixed(2)} spent or reserved, and this request may cost up to $${details.requestMaxUsd.toFixed(4)}.`,
      { retryAfterSeconds: details.retryAfterSeconds },
    );
    this.name = 'BudgetExceededError';
    this.budgetId = details.budgetId;
    this.periodKey = details.periodKey;
  }
}
