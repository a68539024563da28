import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../../observability/metrics.js';

/**
 * GET /metrics in the Prometheus text format. Unauthenticated, like most scrape targets:
 * it carries counts and configured names only (no user, key or content), but operators who
 * do not want aliases and departments visible should keep the port off public networks.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(body);
  });
}
