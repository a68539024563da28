import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';
import { gateFromReport, type GateReport } from '../../releases/gate-from-report.js';
import { releaseAuditRecord } from '../../releases/release-audit-record.js';
import { snapshotRelease } from '../../releases/release-content.js';
import { createReleaseService, GateRefusedError, type ReleaseService } from '../../releases/release-service.js';
import { ReleaseNotFoundError } from '../../releases/release-store.js';
import { createSqlReleaseStore } from '../../releases/sql-release-store.js';
import { requireAdminScope } from '../admin-auth.js';
import { evalReportSchema } from '../../eval/eval-report-schema.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/**
 * `/admin/releases`: the same operations as `switchyard release …`, over HTTP. Reading needs
 * `releases:read`; creating, promoting and rolling back need `releases:write`. A change is
 * applied on this replica at once and on the others at their next poll.
 */
const promoteBody = z
  .object({
    canary_percent: z.number().min(0).max(100).optional(),
    cohort: z.string().min(1).optional(),
    /** An `eval run --format json` report: the gate's evidence. */
    report: z.record(z.string(), z.unknown()).optional(),
    force: z.boolean().optional(),
    reason: z.string().optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? {});
  if (!result.success) throw new GatewayError('invalid_request', result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
  return result.data;
}

async function translate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ReleaseNotFoundError) throw new GatewayError('not_found', error.message);
    if (error instanceof GateRefusedError) throw new GatewayError('invalid_request', error.message, { status: 409 });
    if (error instanceof GatewayError) throw error;
    if (error instanceof Error && /needs|nothing to roll back|changed meanwhile|pins deployments|percentage|not an eval report|no target/.test(error.message)) {
      throw new GatewayError('invalid_request', error.message);
    }
    throw error;
  }
}

export function registerAdminReleaseRoutes(app: FastifyInstance, holder: RuntimeHolder): void {
  const service = (): ReleaseService => {
    const runtime = holder.current;
    const audit = runtime.services.audit;
    return createReleaseService({
      store: createSqlReleaseStore(runtime.services.storage.executor),
      ...(audit ? { audit: (event) => audit.writer.appendDurable(releaseAuditRecord(event)) } : {}),
    });
  };

  app.get('/admin/releases', async (request) => {
    await requireAdminScope(holder.current, request, 'releases:read');
    const releases = service();
    const [state, list, events] = await Promise.all([releases.state(), releases.list(), releases.events(20)]);
    return { state, served: holder.current.services.releases.state(), releases: list, events };
  });

  app.get('/admin/releases/:id', async (request) => {
    await requireAdminScope(holder.current, request, 'releases:read');
    return translate(() => service().show((request.params as { id: string }).id));
  });

  app.get('/admin/releases/:a/diff/:b', async (request) => {
    await requireAdminScope(holder.current, request, 'releases:read');
    const { a, b } = request.params as { a: string; b: string };
    return { changes: await translate(() => service().diff(a, b)) };
  });

  app.post('/admin/releases', async (request, reply) => {
    const principal = await requireAdminScope(holder.current, request, 'releases:write');
    const body = parse(z.object({ note: z.string().optional() }).strict(), request.body);
    const { record, created } = await service().create({ content: snapshotRelease(holder.current.loaded.config), author: principal.id, ...(body.note ? { note: body.note } : {}) });
    return reply.status(created ? 201 : 200).send({ id: record.id, digest: record.digest, created });
  });

  app.post('/admin/releases/:id/promote', async (request) => {
    const principal = await requireAdminScope(holder.current, request, 'releases:write');
    const body = parse(promoteBody, request.body);
    const runtime = holder.current;
    const releases = service();
    const event = await translate(async () => {
      const record = await releases.show((request.params as { id: string }).id);
      const state = await releases.state();
      const verdict = body.report ? gateFromReport(runtime.loaded.config.releases.gate, body.report as unknown as GateReport, record.id, state.production, new Date()) : undefined;
      return releases.promote({
        release: record.id,
        actor: principal.id,
        knownDeployments: new Set(runtime.deployments.keys()),
        ...(body.canary_percent !== undefined ? { canaryPercent: body.canary_percent } : {}),
        ...(body.cohort ? { cohort: body.cohort } : {}),
        ...(verdict ? { verdict } : {}),
        ...(body.force ? { force: true } : {}),
        ...(body.reason ? { reason: body.reason } : {}),
      });
    });
    await runtime.services.releases.refresh();
    return event;
  });

  // `eval run --publish`: the summaries feed the quality dashboard's eval gauges on every replica.
  app.post('/admin/releases/evaluations', async (request, reply) => {
    await requireAdminScope(holder.current, request, 'releases:evaluate');
    const parsed = evalReportSchema.safeParse(request.body);
    if (!parsed.success) throw new GatewayError('invalid_request', `Not an eval report (switchyard eval run --format json): ${parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    const report = parsed.data;
    const store = createSqlReleaseStore(holder.current.services.storage.executor);
    const stored: string[] = [];
    for (const target of report.targets) {
      // Only a target one release served is evidence about that release.
      if (target.servedBy.length !== 1) continue;
      const release = target.servedBy[0] as string;
      await store.saveEvaluation({ release, bankSha256: report.bank.sha256, generatedAt: report.generatedAt, target: target.target, summary: { overall: target.overall, categories: target.categories } });
      stored.push(release);
    }
    await holder.current.services.releases.refresh();
    return reply.status(201).send({ stored });
  });

  app.post('/admin/releases/rollback', async (request) => {
    const principal = await requireAdminScope(holder.current, request, 'releases:write');
    const body = parse(z.object({ reason: z.string().optional() }).strict(), request.body);
    const event = await translate(() => service().rollback({ actor: principal.id, ...(body.reason ? { reason: body.reason } : {}) }));
    await holder.current.services.releases.refresh();
    return event;
  });
}
