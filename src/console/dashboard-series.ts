import { addCounts, emptyCounts, quantileFromHistogram, type RollupCounts } from './rollup-counts.js';

/** The time ranges the dashboards offer, and the width of one chart point for each. */
export const DASHBOARD_RANGES = {
  '1h': { spanMs: 3_600_000, stepMs: 300_000 },
  '24h': { spanMs: 86_400_000, stepMs: 3_600_000 },
  '7d': { spanMs: 7 * 86_400_000, stepMs: 6 * 3_600_000 },
  '30d': { spanMs: 30 * 86_400_000, stepMs: 86_400_000 },
} as const;
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

/** One chart point (or the whole range): every figure the five dashboards show. */
export interface DashboardFigures {
  requests: number;
  ok: number;
  client_errors: number;
  server_errors: number;
  timeouts: number;
  retries: number;
  /** ok / requests; null without requests. */
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
  throughput_rps: number;
  /** Average requests in flight (Little's law: busy time / elapsed time). */
  concurrency: number;
  citation_rate: number | null;
  review_rejections: number;
  negative_feedback: number;
  refusals: number;
  injection_hits: number;
  privilege_attempts: number;
  sensitive_hits: number;
  masked: number;
  tokens_in: number;
  tokens_out: number;
  /** Null when the caller lacks spend:read. */
  cost_usd: number | null;
  cost_per_request: number | null;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

export function figuresOf(counts: RollupCounts, spanMs: number, showCost: boolean): DashboardFigures {
  const { counters } = counts;
  const seconds = spanMs / 1000;
  return {
    requests: counters.requests,
    ok: counters.ok,
    client_errors: counters.client_errors,
    server_errors: counters.server_errors,
    timeouts: counters.timeouts,
    retries: counters.retries,
    success_rate: ratio(counters.ok, counters.requests),
    p50_ms: quantileFromHistogram(counts.latency, 0.5),
    p95_ms: quantileFromHistogram(counts.latency, 0.95),
    p99_ms: quantileFromHistogram(counts.latency, 0.99),
    throughput_rps: counters.requests / seconds,
    concurrency: counts.latencyMsSum / spanMs,
    citation_rate: ratio(counters.cited, counters.ok),
    review_rejections: counters.review_rejected,
    negative_feedback: counters.feedback_down,
    refusals: counters.refusals,
    injection_hits: counters.injection_hits,
    privilege_attempts: counters.privilege_attempts,
    sensitive_hits: counters.sensitive_hits,
    masked: counters.masked,
    tokens_in: counters.tokens_in,
    tokens_out: counters.tokens_out,
    cost_usd: showCost ? counts.costUsd : null,
    cost_per_request: showCost ? ratio(counts.costUsd, counters.requests) : null,
  };
}

export interface DashboardResponse {
  range: DashboardRange;
  department: string | null;
  from: string;
  to: string;
  step_ms: number;
  points: Array<{ time: string } & DashboardFigures>;
  totals: DashboardFigures;
  /** Departments seen in the range (the filter's choices), with their cost when allowed. */
  departments: Array<{ department: string; requests: number; cost_usd: number | null }>;
}

/** Chart points and totals from the rollup's series; pure, so it is tested without storage. */
export function buildDashboardResponse(input: {
  range: DashboardRange;
  department: string | undefined;
  from: number;
  to: number;
  stepMs: number;
  series: Array<{ start: number; counts: RollupCounts }>;
  byDepartment: Array<{ department: string; counts: RollupCounts }>;
  showCost: boolean;
}): DashboardResponse {
  const total = emptyCounts();
  for (const point of input.series) addCounts(total, point.counts);
  return {
    range: input.range,
    department: input.department ?? null,
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    step_ms: input.stepMs,
    points: input.series.map((point) => ({ time: new Date(point.start).toISOString(), ...figuresOf(point.counts, input.stepMs, input.showCost) })),
    totals: figuresOf(total, input.to - input.from, input.showCost),
    departments: input.byDepartment.map(({ department, counts }) => ({ department, requests: counts.counters.requests, cost_usd: input.showCost ? counts.costUsd : null })),
  };
}
