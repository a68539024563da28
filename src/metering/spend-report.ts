import { InvalidRequestError } from '../errors/gateway-error.js';
import { microsToUsd } from './budget-ledger.js';
import { periodRange } from './budget-period.js';
import { amortisedFixedCost } from './price-table.js';
import { SPEND_DIMENSIONS, type SpendDimension, type SpendStore } from './spend-store.js';

export interface SpendReport {
  by: SpendDimension;
  period: string;
  timeZone: string;
  from: string;
  to: string;
  /** Token cost only; fixed costs are in `fixedUsd` (by deployment, when given). */
  totalUsd: number;
  rows: { group: string | null; requests: number; inputTokens: number; outputTokens: number; costUsd: number; unpricedRequests: number; fixedUsd?: number }[];
  totalFixedUsd?: number;
  /**
   * Requests served by a deployment without a known price: their cost is missing from the
   * totals, not zero. A report with any is incomplete (`costComplete: false`).
   */
  unpricedRequests: number;
  costComplete: boolean;
}

/**
 * One calendar period's spend grouped by a dimension: what `switchyard spend` prints and
 * `GET /admin/spend?by=department&period=2026-11` returns. Bad arguments are 400s.
 */
export async function buildSpendReport(
  store: SpendStore,
  request: { by: string; period: string; timeZone: string; fixedCosts?: readonly { deployment: string; monthly_usd: number }[] },
): Promise<SpendReport> {
  if (!(SPEND_DIMENSIONS as readonly string[]).includes(request.by)) {
    throw new InvalidRequestError(`'by' must be one of ${SPEND_DIMENSIONS.join(', ')}.`, 'by');
  }
  let range: { from: Date; to: Date };
  try {
    range = periodRange(request.period, request.timeZone);
  } catch (error) {
    throw new InvalidRequestError((error as Error).message, 'period');
  }
  const by = request.by as SpendDimension;
  const rows = await store.report(by, range.from.toISOString(), range.to.toISOString());
  const report: SpendReport = {
    by,
    period: request.period,
    timeZone: request.timeZone,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    totalUsd: microsToUsd(rows.reduce((sum, row) => sum + row.costMicros, 0)),
    rows: rows.map((row) => ({
      group: row.group,
      requests: row.requests,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      costUsd: microsToUsd(row.costMicros),
      unpricedRequests: row.unpricedRequests ?? 0,
    })),
    unpricedRequests: 0,
    costComplete: true,
  };
  // Tag rows count an event once per tag; the untagged dimensions count each event once.
  report.unpricedRequests = report.rows.reduce((sum, row) => sum + row.unpricedRequests, 0);
  report.costComplete = report.unpricedRequests === 0;
  if (by === 'deployment' && request.fixedCosts && request.fixedCosts.length > 0) {
    // The whole period's share of each fixed monthly cost, also for deployments with no traffic.
    for (const fixed of request.fixedCosts) {
      let row = report.rows.find((entry) => entry.group === fixed.deployment);
      if (!row) report.rows.push((row = { group: fixed.deployment, requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedRequests: 0 }));
      row.fixedUsd = amortisedFixedCost(fixed.monthly_usd, range.from, range.to);
    }
    report.totalFixedUsd = report.rows.reduce((sum, row) => sum + (row.fixedUsd ?? 0), 0);
  }
  return report;
}
