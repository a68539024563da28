import { type ApiCostBreakdown, type ModeCost, projectApiCost } from './cost-api.js';
import { type OnPremCostBreakdown, type OnPremSizing, projectOnPremCost, sweepUtilisation, type UtilisationPoint } from './cost-on-prem.js';
import { type PrivateCloudCostBreakdown, projectPrivateCloudCost } from './cost-private-cloud.js';
import type { Mode } from './modes.js';
import type { Prices } from './prices.js';
import { scaleTraffic, type Traffic } from './traffic.js';

export interface HybridCostBreakdown {
  /** On-prem sized for the inside share of traffic. */
  on_prem: number;
  /** Private cloud for the rest of the traffic (elasticity). */
  private_cloud: number;
}

export interface MultiCloudCostBreakdown {
  /** Private-cloud environment at the primary provider, carrying the primary share. */
  provider_a: number;
  /** Private-cloud environment at the second provider, carrying the rest. */
  provider_b: number;
}

export interface CostProjection {
  api: ModeCost<ApiCostBreakdown>;
  'private-cloud': ModeCost<PrivateCloudCostBreakdown>;
  'on-prem': ModeCost<OnPremCostBreakdown>;
  hybrid: ModeCost<HybridCostBreakdown>;
  'multi-cloud': ModeCost<MultiCloudCostBreakdown>;
}

export interface BreakEvenPoint {
  volume_factor: number;
  requests_per_day: number;
  api: number;
  on_prem: number;
}

/** What the report needs beyond the JSON cost block. */
export interface CostDetails {
  onPremSizing: OnPremSizing;
  utilisationSweep: UtilisationPoint[];
  breakEvenCurve: BreakEvenPoint[];
  /** Requests/day at which on-prem first costs no more than the API; null if not within 0.01–1000× today's volume. */
  breakEvenRequestsPerDay: number | null;
}

const withoutSizing = <B>(cost: ModeCost<B> & { sizing?: unknown }): ModeCost<B> => ({
  monthly_total: cost.monthly_total,
  breakdown: cost.breakdown,
});

/**
 * Hybrid and multi-cloud are compositions of the single-environment formulas with a traffic split:
 *   hybrid      = onPrem(traffic × insideShare) + privateCloud(traffic × (1 − insideShare))
 *   multi-cloud = privateCloud(traffic × primaryShare) + privateCloud(traffic × (1 − primaryShare))
 * Each part carries its own fixed costs (an on-prem platform team; isolation, monitoring and keys per cloud).
 */
export function projectCosts(traffic: Traffic, prices: Prices): CostProjection {
  const inside = traffic.hybrid_inside_share;
  const primary = traffic.multi_cloud_primary_share;
  const hybridInside = projectOnPremCost(scaleTraffic(traffic, inside), prices.on_prem).monthly_total;
  const hybridCloud = projectPrivateCloudCost(scaleTraffic(traffic, 1 - inside), prices).monthly_total;
  const providerA = projectPrivateCloudCost(scaleTraffic(traffic, primary), prices).monthly_total;
  const providerB = projectPrivateCloudCost(scaleTraffic(traffic, 1 - primary), prices).monthly_total;
  return {
    api: projectApiCost(traffic, prices.api),
    'private-cloud': projectPrivateCloudCost(traffic, prices),
    'on-prem': withoutSizing(projectOnPremCost(traffic, prices.on_prem)),
    hybrid: { monthly_total: hybridInside + hybridCloud, breakdown: { on_prem: hybridInside, private_cloud: hybridCloud } },
    'multi-cloud': { monthly_total: providerA + providerB, breakdown: { provider_a: providerA, provider_b: providerB } },
  };
}

/** Volume factors 0.01× … 1000× today's requests/day, ten per decade. */
export const BREAK_EVEN_FACTORS: readonly number[] = Array.from({ length: 51 }, (_, index) => 10 ** (-2 + index / 10));

/** On-prem vs API over volume, and the first volume where on-prem is not dearer (bisection between grid points). */
export function projectBreakEven(traffic: Traffic, prices: Prices): Pick<CostDetails, 'breakEvenCurve' | 'breakEvenRequestsPerDay'> {
  const at = (factor: number): BreakEvenPoint => {
    const scaled = scaleTraffic(traffic, factor);
    return {
      volume_factor: factor,
      requests_per_day: scaled.requests_per_day,
      api: projectApiCost(scaled, prices.api).monthly_total,
      on_prem: projectOnPremCost(scaled, prices.on_prem).monthly_total,
    };
  };
  const curve = BREAK_EVEN_FACTORS.map(at);
  const firstIndex = curve.findIndex((point) => point.on_prem <= point.api);
  if (firstIndex < 0) return { breakEvenCurve: curve, breakEvenRequestsPerDay: null };
  if (firstIndex === 0) return { breakEvenCurve: curve, breakEvenRequestsPerDay: curve[0]?.requests_per_day ?? null };
  let low = BREAK_EVEN_FACTORS[firstIndex - 1] ?? 0;
  let high = BREAK_EVEN_FACTORS[firstIndex] ?? 0;
  for (let iteration = 0; iteration < 40; iteration += 1) {
    const middle = (low + high) / 2;
    const point = at(middle);
    if (point.on_prem <= point.api) high = middle;
    else low = middle;
  }
  return { breakEvenCurve: curve, breakEvenRequestsPerDay: traffic.requests_per_day * high };
}

export function projectCostDetails(traffic: Traffic, prices: Prices): CostDetails {
  return {
    onPremSizing: projectOnPremCost(traffic, prices.on_prem).sizing,
    utilisationSweep: sweepUtilisation(traffic, prices.on_prem),
    ...projectBreakEven(traffic, prices),
  };
}

export type CostByMode = { [M in Mode]: CostProjection[M] };
