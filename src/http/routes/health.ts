import type { FastifyInstance } from 'fastify';
import type { RuntimeHolder } from '../runtime-holder.js';

/** Liveness says the process answers; readiness says it can serve (config loaded, stores reachable). */
export function registerHealthRoutes(app: FastifyInstance, holder: RuntimeHolder, readinessChecks: Array<() => Promise<void>>): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const failures: string[] = [];
    for (const check of readinessChecks) {
      await check().catch((error: unknown) => failures.push(error instanceof Error ? error.message : 'check failed'));
    }
    if (failures.length > 0) return reply.status(503).send({ status: 'not_ready', failures });
    return { status: 'ready', config: holder.current.loaded.source, deployments: holder.current.deployments.size };
  });
}
