import type { Logger } from 'pino';
import { AUTH_FAILURE, BUDGET, CIRCUIT, HEALTH, subscribe } from './channels.js';
import type { GatewayMetrics } from './metrics.js';

/**
 * What a running gateway does with the rooms' own events: circuit and health changes and budget
 * thresholds become gauges and counters; circuit, health and authentication failures become
 * warning lines (never a credential). Returns the unsubscribe function for shutdown.
 */
export function subscribeGatewayEvents(logger: Logger, metrics: GatewayMetrics): () => void {
  const unsubscribers = [
    subscribe(CIRCUIT, (change) => {
      metrics.setCircuitState(change.deployment, change.to);
      logger.warn({ circuit: change }, 'circuit breaker state change');
    }),
    subscribe(HEALTH, (change) => {
      metrics.setUpstreamHealth(change.deployment, change.healthy);
      logger.warn({ health: change }, 'upstream health change');
    }),
    subscribe(BUDGET, (event) => {
      metrics.recordBudgetThreshold(event.budgetId);
      metrics.setBudgetUtilisation(event.budgetId, event.limitUsd > 0 ? event.spentUsd / event.limitUsd : 0);
    }),
    subscribe(AUTH_FAILURE, (failure) => logger.warn({ auth_failure: failure }, 'authentication failed')),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
