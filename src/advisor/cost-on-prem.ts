import type { ModeCost } from './cost-api.js';
import type { Prices } from './prices.js';
import type { Traffic } from './traffic.js';

export interface OnPremCostBreakdown {
  hardware_amortised: number;
  power_colocation: number;
  operations_staff: number;
  licences: number;
}

/** How the on-prem estimate was sized, shown in reports. */
export interface OnPremSizing {
  calls_per_month: number;
  input_tokens_per_month: number;
  output_tokens_per_month: number;
  peak_output_tps: number;
  peak_input_tps: number;
  compute_tps: number;
  replicas: number;
  gpus: number;
  utilisation: number;
}

const SECONDS_PER_DAY = 86_400;

/** ceil that ignores floating-point dust such as 3.0000000000004. */
const safeCeil = (value: number): number => Math.ceil(value - 1e-9);

/**
 * Sized for peak (reference §7):
 *   calls   = tasks × (1 + retryRate) × chained
 *   peakOut = outputTokens / seconds × peakFactor;  peakIn likewise
 *   compute = peakOut + peakIn × inputComputeWeight
 *   replicas = max(minReplicas, ceil(compute / (tpsPerGpu × gpusPerReplica × utilisation)))
 */
export function sizeOnPrem(traffic: Traffic, prices: Prices['on_prem'], utilisation = prices.target_utilisation): OnPremSizing {
  const calls = traffic.requests_per_day * traffic.days_per_month * (1 + traffic.retry_rate) * traffic.chained_calls;
  const inputTokens = calls * (traffic.avg_input_tokens + traffic.context_tokens);
  const outputTokens = calls * traffic.avg_output_tokens;
  const seconds = traffic.days_per_month * SECONDS_PER_DAY;
  const peakOutput = (outputTokens / seconds) * traffic.peak_factor;
  const peakInput = (inputTokens / seconds) * traffic.peak_factor;
  const compute = peakOutput + peakInput * prices.input_compute_weight;
  const perReplica = prices.output_tps_per_gpu * prices.gpus_per_replica * utilisation;
  const replicas = Math.max(prices.min_replicas, perReplica > 0 ? safeCeil(compute / perReplica) : prices.min_replicas);
  return {
    calls_per_month: calls,
    input_tokens_per_month: inputTokens,
    output_tokens_per_month: outputTokens,
    peak_output_tps: peakOutput,
    peak_input_tps: peakInput,
    compute_tps: compute,
    replicas,
    gpus: replicas * prices.gpus_per_replica,
    utilisation,
  };
}

/**
 *   hardware = gpus × capexPerGpu × (1 + infraOverhead) / (years × 12)
 *   power    = gpus × kWPerGpu × PUE × hours × $/kWh  +  gpus × kWPerGpu × colocation $/kW-month
 *   staff    = FTE × loaded annual cost / 12
 *   licences = gpus × licence per GPU-year / 12
 */
export function projectOnPremCost(
  traffic: Traffic,
  prices: Prices['on_prem'],
  utilisation = prices.target_utilisation,
): ModeCost<OnPremCostBreakdown> & { sizing: OnPremSizing } {
  const sizing = sizeOnPrem(traffic, prices, utilisation);
  const kilowatts = sizing.gpus * prices.kw_per_gpu;
  const breakdown: OnPremCostBreakdown = {
    hardware_amortised: (sizing.gpus * prices.capex_per_gpu * (1 + prices.infra_overhead)) / (prices.amortisation_years * 12),
    power_colocation: kilowatts * prices.pue * prices.hours_per_month * prices.electricity_per_kwh + kilowatts * prices.colocation_per_kw_month,
    operations_staff: (prices.ops_fte * prices.fte_loaded_annual) / 12,
    licences: (sizing.gpus * prices.licence_per_gpu_year) / 12,
  };
  const total = Object.values(breakdown).reduce((sum, value) => sum + value, 0);
  return { monthly_total: total, breakdown, sizing };
}

/** The utilisation sweep (20–90 %) every on-prem estimate should show. */
export const UTILISATION_SWEEP = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] as const;

export interface UtilisationPoint {
  utilisation: number;
  gpus: number;
  monthly_total: number;
}

export function sweepUtilisation(traffic: Traffic, prices: Prices['on_prem']): UtilisationPoint[] {
  return UTILISATION_SWEEP.map((utilisation) => {
    const cost = projectOnPremCost(traffic, prices, utilisation);
    return { utilisation, gpus: cost.sizing.gpus, monthly_total: cost.monthly_total };
  });
}
