import type { FastifyInstance, FastifyRequest } from 'fastify';
import { queryAuditForAdmin } from '../audit/admin-audit-query.js';
import type { AuditRecord } from '../audit/audit-record.js';
import { GatewayError, InvalidRequestError } from '../errors/gateway-error.js';
import { periodKey } from '../metering/budget-period.js';
import { describeScope } from '../metering/budget-enforcer.js';
import { microsToUsd } from '../metering/budget-ledger.js';
import type { ConsoleRuntime } from './console-runtime.js';
import { createSqlReleaseStore } from '../releases/sql-release-store.js';
import { authorizeConsole } from './console-access.js';
import type { ConsoleAdvisor } from './console-advisor.js';
import type { SessionStore } from './console-session.js';
import { buildDashboardResponse, DASHBOARD_RANGES, type DashboardRange } from './dashboard-series.js';
import type { RollupStore } from './rollup-store.js';

type Query = Record<string, string | undefined>;

export interface ConsoleApiDependencies {
  runtime: () => ConsoleRuntime;
  sessions: SessionStore;
  rollup: RollupStore;
  advisor: ConsoleAdvisor;
  now: () => number;
}

/** Pages scanned at most when filtering audit by rule (the store has no rule column). */
const RULE_SCAN_PAGES = 5;

/** The console's own endpoints (the rest are forwarded admin calls: console-forward.ts). */
export function registerConsoleApi(app: FastifyInstance, dependencies: ConsoleApiDependencies): void {
  const { sessions, rollup, now } = dependencies;
  const authorize = (request: FastifyRequest, scope?: Parameters<typeof authorizeConsole>[3]) => authorizeConsole(dependencies.runtime(), sessions, request, scope);

  app.get('/console/api/dashboards', async (request) => {
    const caller = await authorize(request, 'audit:read');
    const query = request.query as Query;
    const range = (query.range ?? '24h') as DashboardRange;
    if (!(range in DASHBOARD_RANGES)) throw new InvalidRequestError(`'range' must be one of ${Object.keys(DASHBOARD_RANGES).join(', ')}.`, 'range');
    const { spanMs, stepMs } = DASHBOARD_RANGES[range];
    // Points end at the step after now, so the current (partial) step is the last point.
    const to = Math.ceil((now() + 1) / stepMs) * stepMs;
    const from = to - spanMs;
    const department = query.department === undefined || query.department === '' ? undefined : query.department;
    const [series, byDepartment] = await Promise.all([
      rollup.series({ from, to, stepMs, ...(department !== undefined ? { department } : {}) }),
      rollup.byDepartment(from, to),
    ]);
    return buildDashboardResponse({ range, department, from, to, stepMs, series, byDepartment, showCost: caller.scopes.has('spend:read') });
  });

  app.get('/console/api/audit', async (request) => {
    await authorize(request, 'audit:read');
    const audit = dependencies.runtime().services.audit;
    if (!audit) throw new GatewayError('not_found', 'Audit is disabled in this configuration (audit.enabled: false).');
    const { rule, ...rest } = request.query as Query;
    if (rule === undefined || rule === '') return queryAuditForAdmin(audit.store, rest);
    // Rule is not an indexed column: scan a bounded number of pages and keep the matches.
    const data: AuditRecord[] = [];
    let cursor = rest.cursor;
    for (let page = 0; page < RULE_SCAN_PAGES; page += 1) {
      const result = await queryAuditForAdmin(audit.store, { ...rest, limit: '1000', ...(cursor ? { cursor } : {}) });
      data.push(...result.data.filter((record) => record.ruleMatched === rule));
      cursor = result.next_cursor ?? undefined;
      if (!cursor || data.length >= Number(rest.limit ?? 100)) break;
    }
    return { data, next_cursor: cursor ?? null };
  });

  app.get('/console/api/audit/verify', async (request) => {
    await authorize(request, 'audit:read');
    const audit = dependencies.runtime().services.audit;
    if (!audit) throw new GatewayError('not_found', 'Audit is disabled in this configuration (audit.enabled: false).');
    const verification = await audit.verify();
    return { ok: verification.ok, checked: verification.checked, head_seq: verification.head.seq, first_break: verification.firstBreak ?? null, invalid_checkpoints: verification.invalidCheckpoints };
  });

  app.get('/console/api/budgets', async (request) => {
    await authorize(request, 'spend:read');
    const { metering } = dependencies.runtime().loaded.config;
    const ledger = dependencies.runtime().services.metering.ledger;
    const instant = new Date(now());
    const data = await Promise.all(
      metering.budgets.map(async (budget) => {
        const period = periodKey(budget.period, instant, metering.time_zone);
        const usage = await ledger.usage(budget.id, period);
        const spent = microsToUsd(usage.spentMicros);
        return { id: budget.id, scope: describeScope(budget), period: budget.period, period_key: period, limit_usd: budget.limit_usd, spent_usd: spent, reserved_usd: microsToUsd(usage.reservedMicros), used: spent / budget.limit_usd };
      }),
    );
    return { object: 'list', data };
  });

  app.get('/console/api/evaluations', async (request) => {
    await authorize(request, 'releases:read');
    const evaluations = await createSqlReleaseStore(dependencies.runtime().services.storage.executor).latestEvaluations(50);
    return { object: 'list', data: evaluations };
  });

  // The advisor needs no data from the gateway: any signed-in administrator may use it. It is
  // passed in (console-advisor.ts), loading its modules on first use.
  app.get('/console/api/advisor/questions', async (request) => {
    await authorize(request);
    return dependencies.advisor.questions();
  });

  app.post('/console/api/advisor', async (request) => {
    await authorize(request);
    const { lang, ...file } = (request.body ?? {}) as { lang?: string } & Record<string, unknown>;
    const language = lang ?? 'en';
    if (language !== 'en' && language !== 'zh-TW') throw new InvalidRequestError("'lang' must be en or zh-TW.", 'lang');
    return dependencies.advisor.advise(file, language);
  });
}
