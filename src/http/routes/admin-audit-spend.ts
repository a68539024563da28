import type { FastifyInstance } from 'fastify';
import { queryAuditForAdmin } from '../../audit/admin-audit-query.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { periodKey } from '../../metering/budget-period.js';
import { buildSpendReport } from '../../metering/spend-report.js';
import { requireAdminScope } from '../admin-auth.js';
import type { RuntimeHolder } from '../runtime-holder.js';

type Query = Record<string, string | undefined>;

/**
 * `GET /admin/audit` (audit:read) and `GET /admin/spend` (spend:read). Without `period`, spend is
 * for this month in the metering zone (not in UTC: on the 1st before 08:00 Taipei, UTC is still
 * in last month); `now` is injectable so that is testable on any date.
 */
export function registerAdminAuditSpendRoutes(app: FastifyInstance, holder: RuntimeHolder, now: () => Date = () => new Date()): void {
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
    const timeZone = query.time_zone ?? metering.time_zone;
    return buildSpendReport(runtime.services.metering.spend, {
      by: query.by ?? 'department',
      period: query.period ?? periodKey('month', now(), timeZone),
      timeZone,
      fixedCosts: metering.fixed_costs,
    });
  });
}
