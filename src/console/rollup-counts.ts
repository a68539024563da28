/**
 * One (bucket, department) cell of the dashboards' time series: plain counters that add up, so
 * cells merge by addition in memory and in SQL alike. The latency histogram is kept as one
 * counter per bound (LATENCY_BOUNDS_MS) so percentiles survive aggregation over any range.
 */
export const COUNTER_FIELDS = [
  'requests',
  'ok',
  'client_errors',
  'server_errors',
  'timeouts',
  'retries',
  'cited',
  'refusals',
  'feedback_down',
  'review_rejected',
  'guard_hits',
  'injection_hits',
  'privilege_attempts',
  'sensitive_hits',
  'masked',
  'tokens_in',
  'tokens_out',
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];

/** Upper bounds of the latency histogram, in ms; the last bucket is everything above. */
export const LATENCY_BOUNDS_MS = [25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000] as const;
export const LATENCY_COLUMNS = LATENCY_BOUNDS_MS.length + 1;

export interface RollupCounts {
  counters: Record<CounterField, number>;
  /** Sum of request durations: average concurrency over a bucket is this / bucket length. */
  latencyMsSum: number;
  /** Counts per LATENCY_BOUNDS_MS slot, plus one slot for slower requests. */
  latency: number[];
  costUsd: number;
}

export function emptyCounts(): RollupCounts {
  const counters = Object.fromEntries(COUNTER_FIELDS.map((field) => [field, 0])) as Record<CounterField, number>;
  return { counters, latencyMsSum: 0, latency: new Array<number>(LATENCY_COLUMNS).fill(0), costUsd: 0 };
}

export function latencySlot(milliseconds: number): number {
  for (let slot = 0; slot < LATENCY_BOUNDS_MS.length; slot += 1) if (milliseconds <= (LATENCY_BOUNDS_MS[slot] as number)) return slot;
  return LATENCY_BOUNDS_MS.length;
}

export function addCounts(target: RollupCounts, source: RollupCounts): void {
  for (const field of COUNTER_FIELDS) target.counters[field] += source.counters[field];
  target.latencyMsSum += source.latencyMsSum;
  target.costUsd += source.costUsd;
  for (let slot = 0; slot < LATENCY_COLUMNS; slot += 1) target.latency[slot] = (target.latency[slot] ?? 0) + (source.latency[slot] ?? 0);
}

/**
 * The `quantile` (0–1) of a histogram, interpolated linearly inside the slot it falls in;
 * the open top slot reports its lower bound. Null without requests.
 */
export function quantileFromHistogram(latency: readonly number[], quantile: number): number | null {
  const total = latency.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = quantile * total;
  let seen = 0;
  for (let slot = 0; slot < latency.length; slot += 1) {
    const count = latency[slot] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = slot === 0 ? 0 : (LATENCY_BOUNDS_MS[slot - 1] as number);
      const upper = LATENCY_BOUNDS_MS[slot];
      if (upper === undefined) return lower;
      return lower + ((upper - lower) * (rank - seen)) / count;
    }
    seen += count;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] as number;
}
