import type { Logger } from 'pino';
import type { MeteringEvent } from '../metering/metering-events.js';
import type { GatewayMetrics } from '../observability/metrics.js';

/**
 * Logs and counts metering events. An over-reservation is an alert (error level): the upstream
 * billed more than the request's worst case, so the price list or the bounds are wrong.
 */
export function meteringEventSubscriber(logger: Logger, metrics: GatewayMetrics): (event: MeteringEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'over-reservation':
        metrics.families.overReservations.labels(metrics.domains.deployment.map(event.deployment)).inc();
        logger.error({ over_reservation: event }, 'ALERT: a request cost more than its budget reservation; settled at the actual cost');
        return;
      case 'usage-clamped':
        metrics.families.usageClamped.labels(metrics.domains.deployment.map(event.deployment), event.anomaly.field, event.anomaly.reason).inc();
        logger.warn({ usage_clamped: event }, 'upstream reported impossible usage; clamped to the reservation');
        return;
      case 'unpriced':
        metrics.families.unpricedRequests.labels(metrics.domains.deployment.map(event.deployment)).inc();
        return;
      case 'budget-threshold':
        return;
    }
  };
}
