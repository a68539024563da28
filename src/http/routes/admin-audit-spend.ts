import type { FastifyInstance } from 'fastify';
import { queryAuditForAdmin } from '../../audit/admin-audit-query.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { buildSpendReport } from '../../metering/spend-report.js';
import { requireAdminScope } from '../admin-auth.js';
import type { RuntimeHolder } from '../runtime-holder.js';

type Query = Record<string, string | undefined>;

/** `GET /admin/audit` (audit:read) and `GET /admin/spend` (spend:read). */
export function registerAdminAuditSpendRoutes(app: FastifyInstance, holder: RuntimeHolder): void {
  app.get('/admin/audit', async (request) => {
    const runtime = holder.current;
    await requireAdminScope(runtime, request, 'audit:read');
    const audit = runtime.services.audit;
    if (!audit) throw new GatewayError('not_found', 'Audit is disabled in this configuration (audit.enabled: false).');
    return queryAuditForAdmin(audit.store, request.query as Query);
  });

  app.get('/admin/spend', async (request) => {
    const runtime = holder.current;
    await requireAdminScope(runtime, request, 'spend:read');
    const query = request.query as Query;
    const metering = runtime.loaded.config.metering;
    return buildSpendReport(runtime.services.metering.spend, {
      by: query.by ?? 'department',
      period: query.period ?? new Date().toISOString().slice(0, 7),
      timeZone: query.time_zone ?? metering.time_zone,
      fixedCosts: metering.fixed_costs,
    });
  });
}
