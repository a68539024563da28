import type { Prices } from './prices.js';
import type { Traffic } from './traffic.js';

/** The public-API monthly cost: a naive base plus the four parts that blow up estimates. */
export interface ApiCostBreakdown {
  /** requests × (input + output) at list price, with the cache discount: what a naive estimate gives. */
  base: number;
  /** Extra context per call (RAG, history), plus any long-context surcharge. */
  long_context: number;
  /** Each task makes `chained_calls` model calls, not one. */
  multi_step_chains: number;
  /** Failed calls are paid again. */
  retries: number;
  /** Traffic above the average rate, bought at the priority/peak multiplier. */
  peak_concurrency: number;
}

export interface ModeCost<B> {
  monthly_total: number;
  breakdown: B;
}

const PER_MILLION = 1_000_000;

/** Share of daily tokens above the average rate: (peak factor − 1) × peak hours / 24, at most 1. */
export function peakExcessShare(traffic: Traffic): number {
  return Math.min(1, ((traffic.peak_factor - 1) * traffic.peak_hours_per_day) / 24);
}

/**
 * Layered so each part is the increment it causes (docs/advisor.md, "API cost"):
 *   tasks        = requests/day × days
 *   pIn          = (1 − cacheHit)·inputPrice + cacheHit·cachedPrice
 *   base         = tasks × (avgIn·pIn + avgOut·outputPrice) / 1e6
 *   long_context = tasks × context·pIn·mIn / 1e6 (+ surcharge on avgIn and avgOut when avgIn+context > threshold)
 *   chains       = (chained − 1) × (base + long_context)
 *   retries      = retryRate × (base + long_context + chains)
 *   peak         = excessShare × (peakMultiplier − 1) × (base + long_context + chains + retries)
 */
export function projectApiCost(traffic: Traffic, prices: Prices['api']): ModeCost<ApiCostBreakdown> {
  const tasks = traffic.requests_per_day * traffic.days_per_month;
  const inputPrice = (1 - traffic.cache_hit_rate) * prices.input_per_mtok + traffic.cache_hit_rate * prices.cached_input_per_mtok;
  const isLong = traffic.avg_input_tokens + traffic.context_tokens > prices.long_context_threshold_tokens;
  const inputMultiplier = isLong ? prices.long_context_input_multiplier : 1;
  const outputMultiplier = isLong ? prices.long_context_output_multiplier : 1;

  const base = (tasks * (traffic.avg_input_tokens * inputPrice + traffic.avg_output_tokens * prices.output_per_mtok)) / PER_MILLION;
  const longContext =
    (tasks *
      (traffic.context_tokens * inputPrice * inputMultiplier +
        traffic.avg_input_tokens * inputPrice * (inputMultiplier - 1) +
        traffic.avg_output_tokens * prices.output_per_mtok * (outputMultiplier - 1))) /
    PER_MILLION;
  const chains = (traffic.chained_calls - 1) * (base + longContext);
  const retries = traffic.retry_rate * (base + longContext + chains);
  const peak = peakExcessShare(traffic) * (prices.peak_price_multiplier - 1) * (base + longContext + chains + retries);
  const breakdown: ApiCostBreakdown = {
    base,
    long_context: longContext,
    multi_step_chains: chains,
    retries,
    peak_concurrency: peak,
  };
  return { monthly_total: base + longContext + chains + retries + peak, breakdown };
}
