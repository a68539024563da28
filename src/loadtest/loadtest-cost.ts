import type { TrafficInput } from '../advisor/answers-schema.js';
import { projectApiCost, type ApiCostBreakdown } from '../advisor/cost-api.js';
import { projectOnPremCost, type OnPremCostBreakdown, type OnPremSizing } from '../advisor/cost-on-prem.js';
import { projectPrivateCloudCost, type PrivateCloudCostBreakdown } from '../advisor/cost-private-cloud.js';
import { resolvePrices, type Prices } from '../advisor/prices.js';
import { TRAFFIC_DEFAULTS, type Traffic } from '../advisor/traffic.js';
import type { Scenario } from './scenario-schema.js';
import type { ScenarioMeasurement } from './summarize-run.js';

export type TrafficSource = 'measured' | 'scenario' | 'default';

/** The monthly projection of one scenario, per deployment mode, from the advisor's cost model. */
export interface CostProjectionReport {
  /** Every input of the formulas, and where each came from. */
  traffic: Traffic;
  sources: Record<keyof Traffic, TrafficSource>;
  api: { monthly_total: number; breakdown: ApiCostBreakdown };
  private_cloud: { monthly_total: number; fixed: number; variable: number; breakdown: PrivateCloudCostBreakdown };
  on_prem: { monthly_total: number; breakdown: OnPremCostBreakdown; sizing: OnPremSizing };
}

/**
 * The measured cost inputs of one scenario (the advisor's TrafficInput). A load test measures
 * the mix, not the production volume, so requests_per_day, peak hours and cache hits come
 * from the scenario's `projection` block or the advisor's defaults:
 *   avg_input_tokens  = mean input tokens per call − its context part
 *   context_tokens    = mean context tokens per call (the first call of a task carries the passage)
 *   avg_output_tokens = mean output tokens per call
 *   chained_calls     = model calls per successful task
 *   retry_rate        = extra upstream attempts / calls
 *   peak_factor       = the run's measured peak factor (see peakFactor in run-loadtest.ts)
 */
export function measuredTraffic(measurement: ScenarioMeasurement, peakFactor: number): TrafficInput {
  return {
    avg_input_tokens: measurement.mix.avg_input_tokens,
    avg_output_tokens: measurement.mix.avg_output_tokens,
    context_tokens: measurement.mix.avg_context_tokens,
    chained_calls: Math.max(1, measurement.mix.calls_per_task),
    retry_rate: Math.min(1, measurement.rates.retry_rate),
    peak_factor: Math.min(100, Math.max(1, peakFactor)),
  };
}

/** Fills the advisor's Traffic: measured, then the scenario's projection block, then defaults. */
export function projectionTraffic(measured: TrafficInput, projection: Scenario['projection']): { traffic: Traffic; sources: Record<keyof Traffic, TrafficSource> } {
  const traffic = { ...TRAFFIC_DEFAULTS, peak_factor: 1 } as Traffic;
  const sources = {} as Record<keyof Traffic, TrafficSource>;
  for (const key of Object.keys(traffic) as (keyof Traffic)[]) {
    const fromRun = measured[key];
    const fromScenario = (projection as Partial<Record<keyof Traffic, number>>)[key];
    if (fromRun !== undefined) {
      traffic[key] = fromRun;
      sources[key] = 'measured';
    } else if (fromScenario !== undefined) {
      traffic[key] = fromScenario;
      sources[key] = 'scenario';
    } else sources[key] = 'default';
  }
  return { traffic, sources };
}

/**
 * API: base plus its four drivers, each the increment it causes (docs/advisor.md, "API cost").
 * Private cloud: fixed = isolation + monitoring + keys; variable = inference + storage/retrieval.
 * On-prem: GPUs sized for the peak (calls × (1 + retry) × chained, × peak factor) and their cost.
 */
export function projectScenarioCost(measured: TrafficInput, projection: Scenario['projection'], prices: Prices = resolvePrices().prices): CostProjectionReport {
  const { traffic, sources } = projectionTraffic(measured, projection);
  const api = projectApiCost(traffic, prices.api);
  const cloud = projectPrivateCloudCost(traffic, prices);
  const onPrem = projectOnPremCost(traffic, prices.on_prem);
  const fixed = cloud.breakdown.network_isolation + cloud.breakdown.monitoring_logging + cloud.breakdown.key_management;
  return {
    traffic,
    sources,
    api,
    private_cloud: { monthly_total: cloud.monthly_total, fixed, variable: cloud.monthly_total - fixed, breakdown: cloud.breakdown },
    on_prem: { monthly_total: onPrem.monthly_total, breakdown: onPrem.breakdown, sizing: onPrem.sizing },
  };
}
